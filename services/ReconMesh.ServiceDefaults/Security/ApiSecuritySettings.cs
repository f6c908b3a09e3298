using Microsoft.Extensions.Configuration;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.ServiceDefaults.Security;

/// <summary>
/// Who may call a service's HTTP API: bearer tokens (JWT) from one issuer, for one audience, signed by a key of the
/// issuer's. The keys come either from an OpenID Connect provider (<see cref="AuthorityKey"/>: its discovery document
/// names its keys, re-read as it rotates them) or from a JWKS file (<see cref="JwksFileKey"/>: the local signing key's
/// public half, or a mounted file where no provider is reachable). There is no "off": a service without these settings
/// does not start.
/// </summary>
public sealed record ApiSecuritySettings(
    string Issuer, string Audience, string? Authority, string? JwksFile, bool RequireHttpsMetadata, string TenantClaim, string RoleClaim)
{
    public const string Section = "ReconMesh:Auth";

    /// <summary>The <c>iss</c> every token must carry, e.g. https://login.example.com/realms/reconmesh.</summary>
    public const string IssuerKey = Section + ":Issuer";

    /// <summary>The <c>aud</c> every token must carry (the API's identifier at the provider), e.g. reconmesh.</summary>
    public const string AudienceKey = Section + ":Audience";

    /// <summary>The OpenID Connect provider's base URL (discovery at /.well-known/openid-configuration).</summary>
    public const string AuthorityKey = Section + ":Authority";

    /// <summary>A JSON Web Key Set file with the public keys tokens are signed with (instead of an authority).</summary>
    public const string JwksFileKey = Section + ":JwksFile";

    /// <summary>"false" lets an authority be reached over plain http (a provider on the same machine); https otherwise.</summary>
    public const string RequireHttpsMetadataKey = Section + ":RequireHttpsMetadata";

    /// <summary>The claim listing the tenants a caller may see (one value per tenant); default <see cref="DefaultTenantClaim"/>.</summary>
    public const string TenantClaimKey = Section + ":TenantClaim";

    /// <summary>The claim listing the caller's roles (<see cref="AccessRoles"/>); default <see cref="DefaultRoleClaim"/>.</summary>
    public const string RoleClaimKey = Section + ":RoleClaim";

    public const string DefaultTenantClaim = "tenant";
    public const string DefaultRoleClaim = "roles";

    /// <summary>The settings, or the process stops with exit code 2 naming the one that is missing or wrong.</summary>
    public static ApiSecuritySettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        const string hint = "Every API but the health probes and the signed webhooks takes bearer tokens; see docs/security.md.";
        var issuer = RequiredSettings.Get(configuration, IssuerKey, hint);
        var audience = RequiredSettings.Get(configuration, AudienceKey, hint);
        var authority = Blank(configuration[AuthorityKey]);
        var jwksFile = Blank(configuration[JwksFileKey]);
        if ((authority is null) == (jwksFile is null))
        {
            RequiredSettings.Fail($"set exactly one of '{AuthorityKey}' (an OpenID Connect provider; environment variable " +
                $"{Env(AuthorityKey)}) and '{JwksFileKey}' (a JSON Web Key Set file; {Env(JwksFileKey)}): " +
                (authority is null ? "neither is set." : "both are set.") + " Locally, ./run up sets the JWKS file of this machine's key.");
        }

        if (authority is not null && !Uri.TryCreate(authority, UriKind.Absolute, out _))
        {
            RequiredSettings.Fail($"'{AuthorityKey}' must be an absolute URL, not '{authority}'.");
        }

        var requireHttps = !string.Equals(configuration[RequireHttpsMetadataKey], "false", StringComparison.OrdinalIgnoreCase);
        return new ApiSecuritySettings(issuer, audience, authority, jwksFile, requireHttps,
            Blank(configuration[TenantClaimKey]) ?? DefaultTenantClaim, Blank(configuration[RoleClaimKey]) ?? DefaultRoleClaim);
    }

    private static string Env(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
