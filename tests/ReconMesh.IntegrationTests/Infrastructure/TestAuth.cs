using System.Net.Http.Headers;
using Microsoft.IdentityModel.Tokens;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// The token issuer of the tests: a signing key made for this test run, its public half in a JWKS file every service
/// started by the tests is pointed at (as ./run points them at the machine's key), and tokens minted with it. Tests
/// call the services' APIs as an operator of the tenants they use, with a token naming those tenants.
/// </summary>
public static class TestAuth
{
    public const string Issuer = "https://issuer.reconmesh-tests.invalid";
    public const string Audience = "reconmesh-tests";

    private static readonly Lazy<(RsaSecurityKey Key, string JwksFile)> Issued = new(() =>
    {
        var key = AccessTokens.NewKey();
        var directory = Path.Combine(Path.GetTempPath(), $"reconmesh-tests-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "jwks.json");
        File.WriteAllText(file, AccessTokens.PublicJwks(key));
        return (key, file);
    });

    /// <summary>The key this run's tokens are signed with.</summary>
    public static RsaSecurityKey Key => Issued.Value.Key;

    /// <summary>What every service the tests start is given, before the test's own settings (which may override them).</summary>
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [ApiSecuritySettings.IssuerKey] = Issuer,
        [ApiSecuritySettings.AudienceKey] = Audience,
        [ApiSecuritySettings.JwksFileKey] = Issued.Value.JwksFile,
    };

    /// <summary>A valid request: this run's issuer and audience, valid from a minute ago for an hour.</summary>
    public static TokenRequest Request(IReadOnlyList<string> tenants, params string[] roles) =>
        new("test-operator", tenants, roles, Issuer, Audience, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));

    /// <summary>A token of this run's issuer.</summary>
    public static string Token(TokenRequest request) => AccessTokens.Mint(Key, request);

    /// <summary>A token for <paramref name="tenants"/> with <paramref name="roles"/>.</summary>
    public static string Token(IReadOnlyList<string> tenants, params string[] roles) => Token(Request(tenants, roles));

    /// <summary>A client of a service's API, as an operator who reads and changes <paramref name="tenants"/>.</summary>
    public static HttpClient Operator(Uri address, params string[] tenants) =>
        WithToken(new HttpClient { BaseAddress = address }, Token(tenants, AccessRoles.Write));

    /// <summary>The client, sending <paramref name="token"/> as its bearer token on every request.</summary>
    public static HttpClient WithToken(HttpClient client, string token)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
