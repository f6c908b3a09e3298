using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>
/// An OpenID Connect provider just big enough for the console's code flow: discovery, keys (the tests' issuer's),
/// an authorization endpoint that signs the person in at once and answers by form post, and a token endpoint that checks
/// the client's secret and the code and issues an ID token (with the nonce) and an access token for the services.
/// </summary>
public sealed class FakeProvider : IAsyncDisposable
{
    public const string ClientId = "reconmesh-console";
    public const string ClientSecret = "console-secret-of-the-tests";

    private readonly ConcurrentDictionary<string, string> _nonces = new();
    private readonly WebApplication _app;

    private FakeProvider(WebApplication app, string accessToken)
    {
        _app = app;
        AccessToken = accessToken;
    }

    public Uri Address => new(_app.Urls.First());

    /// <summary>The access token the provider issues: the one the console must keep and call the services with.</summary>
    public string AccessToken { get; }

    /// <summary>How many codes were exchanged with the right secret.</summary>
    public int Exchanged { get; private set; }

    public static async Task<FakeProvider> StartAsync(string accessToken)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var provider = new FakeProvider(app, accessToken);
        app.MapGet("/.well-known/openid-configuration", (HttpContext http) =>
        {
            var self = $"{http.Request.Scheme}://{http.Request.Host}";
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = TestAuth.Issuer, ["authorization_endpoint"] = $"{self}/authorize", ["token_endpoint"] = $"{self}/token",
                ["jwks_uri"] = $"{self}/jwks", ["response_types_supported"] = new[] { "code" }, ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" }, ["response_modes_supported"] = new[] { "form_post", "query" },
            });
        });
        app.MapGet("/jwks", () => Results.Text(AccessTokens.PublicJwks(TestAuth.Key), "application/json"));
        app.MapGet("/authorize", provider.Authorize);
        app.MapPost("/token", (Func<HttpContext, Task<IResult>>)provider.TokenAsync);
        await app.StartAsync();
        return provider;
    }

    private IResult Authorize(HttpContext http)
    {
        var query = http.Request.Query;
        var code = Guid.NewGuid().ToString("N");
        _nonces[code] = query["nonce"].ToString();
        var redirect = WebUtility.HtmlEncode(query["redirect_uri"].ToString());
        return Results.Content(
            $"<!DOCTYPE html><html><body><form method=\"post\" action=\"{redirect}\">" +
            $"<input type=\"hidden\" name=\"code\" value=\"{code}\"><input type=\"hidden\" name=\"state\" value=\"{WebUtility.HtmlEncode(query["state"].ToString())}\">" +
            "</form><script>document.forms[0].submit()</script></body></html>", "text/html");
    }

    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret || !_nonces.TryRemove(form["code"].ToString(), out var nonce))
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        Exchanged++;
        var now = DateTime.UtcNow;
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestAuth.Issuer, Audience = ClientId, IssuedAt = now, NotBefore = now.AddMinutes(-1), Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(TestAuth.Key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object> { ["sub"] = "dana", ["name"] = "Dana Through The Provider", ["nonce"] = nonce },
        });
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = AccessToken, ["id_token"] = idToken, ["token_type"] = "Bearer", ["expires_in"] = 3600,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// A console's settings to sign people in through this provider, with both services unreachable (nothing listens on
    /// port 1): for tests of the sign-in alone.
    /// </summary>
    public IReadOnlyDictionary<string, string?> ConsoleSettings() => new Dictionary<string, string?>
    {
        [ApiSecuritySettings.JwksFileKey] = "",
        [ApiSecuritySettings.AuthorityKey] = Address.ToString(),
        [ApiSecuritySettings.RequireHttpsMetadataKey] = "false",
        [OperatorConsole.ConsoleSettings.OidcClientIdKey] = ClientId,
        [OperatorConsole.ConsoleSettings.OidcClientSecretKey] = ClientSecret,
        [OperatorConsole.ConsoleSettings.InvoiceIngestKey] = "http://127.0.0.1:1/",
        [OperatorConsole.ConsoleSettings.WritebackServiceKey] = "http://127.0.0.1:1/",
    };
}
