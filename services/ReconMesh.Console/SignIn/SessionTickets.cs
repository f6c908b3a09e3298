using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.OperatorConsole.SignIn;

/// <summary>
/// A session made of an accepted access token: the person's name, tenants and roles (the claims the services read, by
/// the names <c>ReconMesh:Auth:TenantClaim</c> and <c>RoleClaim</c> give), the token itself (to call the services with),
/// and when it expires, after which the session is over.
/// </summary>
public sealed class SessionTickets(ApiSecuritySettings auth, TimeProvider clock)
{
    public const string AccessTokenName = "access_token";
    private const string ExpiresItem = "reconmesh.token-expires";

    /// <summary>
    /// How long the cookie outlives its token: long enough for the next visit to be told that the session ended (rather
    /// than sent to sign in without a word), short enough that it does not linger.
    /// </summary>
    private static readonly TimeSpan Afterlife = TimeSpan.FromHours(12);

    public (ClaimsPrincipal Principal, AuthenticationProperties Properties) Create(AccessTokenCheck check, string accessToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var source = check.Identity ?? throw new ArgumentException("The token was not accepted.", nameof(check));
        var kept = source.Claims.Where(c => c.Type is "sub" or "name" or "preferred_username" || c.Type == auth.TenantClaim || c.Type == auth.RoleClaim)
            .Select(c => new Claim(c.Type, c.Value));
        var identity = new ClaimsIdentity(kept, CookieAuthenticationDefaults.AuthenticationScheme, "sub", auth.RoleClaim);
        var properties = new AuthenticationProperties
        {
            IsPersistent = false,
            IssuedUtc = clock.GetUtcNow(),
            ExpiresUtc = check.ExpiresAt + Afterlife,
            AllowRefresh = false,
        };
        properties.Items[ExpiresItem] = check.ExpiresAt.ToString("O", CultureInfo.InvariantCulture);
        properties.StoreTokens([new AuthenticationToken { Name = AccessTokenName, Value = accessToken }]);
        return (new ClaimsPrincipal(identity), properties);
    }

    /// <summary>Whether the session's token is still valid (a session without a known expiry is not).</summary>
    public bool IsLive(AuthenticationProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.Items.TryGetValue(ExpiresItem, out var value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            && clock.GetUtcNow() < expires;
    }

    /// <summary>When the session's token expires, for the page footer.</summary>
    public static DateTimeOffset? ExpiresAt(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(ExpiresItem, out var value) == true
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            ? expires
            : null;
}
