using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.OperatorConsole;

/// <summary>
/// Where the console finds the services it calls on a person's behalf (<c>ReconMesh:Console:*</c>), and the optional
/// OpenID Connect client it signs people in with. Tokens are checked with the services' own settings
/// (<c>ReconMesh:Auth:*</c>, <see cref="ApiSecuritySettings"/>), so the console accepts exactly what they accept.
/// </summary>
public sealed record ConsoleSettings(Uri InvoiceIngest, Uri WritebackService, OidcClientSettings? Oidc)
{
    public const string Section = "ReconMesh:Console";

    /// <summary>InvoiceIngest's operator API, e.g. http://invoice-ingest:8080.</summary>
    public const string InvoiceIngestKey = Section + ":InvoiceIngest";

    /// <summary>WritebackService's operator API, e.g. http://writeback-service:8080.</summary>
    public const string WritebackServiceKey = Section + ":WritebackService";

    public const string OidcClientIdKey = Section + ":Oidc:ClientId";
    public const string OidcClientSecretKey = Section + ":Oidc:ClientSecret";

    /// <summary>Scopes asked for besides <c>openid</c> (space-separated), e.g. the one that puts the services' audience in the access token.</summary>
    public const string OidcScopesKey = Section + ":Oidc:Scopes";

    /// <summary>The settings, or the process stops with exit code 2 naming the one that is missing or wrong.</summary>
    public static ConsoleSettings Read(IConfiguration configuration, ApiSecuritySettings auth)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(auth);
        var invoiceIngest = Url(configuration, InvoiceIngestKey);
        var writeback = Url(configuration, WritebackServiceKey);
        OidcClientSettings? oidc = null;
        if (configuration[OidcClientIdKey] is { Length: > 0 } clientId)
        {
            if (auth.Authority is not { } authority)
            {
                RequiredSettings.Fail($"'{OidcClientIdKey}' is set, so people sign in through the OpenID Connect provider '{ApiSecuritySettings.AuthorityKey}' " +
                    "names, which is not set (a JWKS file alone has no provider to sign in at).");
                return null!; // not reached
            }

            var secret = RequiredSettings.Get(configuration, OidcClientSecretKey, "The console is a confidential client of the provider.");
            oidc = new OidcClientSettings(authority, clientId.Trim(), secret, auth.RequireHttpsMetadata,
                (configuration[OidcScopesKey] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return new ConsoleSettings(invoiceIngest, writeback, oidc);
    }

    private static Uri Url(IConfiguration configuration, string key)
    {
        var value = RequiredSettings.Get(configuration, key, "The console calls the services' APIs with the signed-in person's token.");
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            RequiredSettings.Fail($"'{key}' must be an absolute http(s) URL.");
        }

        return url!;
    }
}

/// <summary>The console as a confidential client of the OpenID Connect provider (code flow). The secret is never shown.</summary>
public sealed record OidcClientSettings(string Authority, string ClientId, string ClientSecret, bool RequireHttpsMetadata, IReadOnlyList<string> Scopes)
{
    /// <summary>Not the secret.</summary>
    public override string ToString() => $"OIDC client {ClientId} at {Authority}";
}
