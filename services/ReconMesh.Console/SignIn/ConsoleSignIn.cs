using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.OperatorConsole.SignIn;

/// <summary>
/// How a person gets a session: a cookie holding their access token (encrypted by ASP.NET Core's data protection,
/// never shown), obtained either through the OpenID Connect provider (code flow, when a client is configured) or by
/// pasting a token of the issuer on the sign-in page. The session ends when the token does: the next request gets the
/// "your session ended" page and does nothing. Every page needs a session, but the sign-in pages and the health probes.
/// </summary>
public static class ConsoleSignIn
{
    public const string OidcScheme = "oidc";
    public const string SignInPath = "/signin";
    public const string SessionEndedPath = "/session-ended";

    /// <summary>Set on a request whose session ended with its token, so its challenge shows the session-ended page.</summary>
    private const string SessionEndedItem = "reconmesh.session-ended";

    public static WebApplicationBuilder AddConsoleSignIn(this WebApplicationBuilder builder, ApiSecuritySettings auth, ConsoleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        builder.Services.AddSingleton(new AccessTokenValidator(auth));
        builder.Services.AddSingleton<SessionTickets>();
        builder.Services.AddSingleton<TenantAccess>();
        builder.Services.AddHttpContextAccessor();
        var authentication = builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "reconmesh.console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = SignInPath;
                o.AccessDeniedPath = "/status/403";
                o.SlidingExpiration = false;
                o.Events.OnValidatePrincipal = EndWithTheToken;
                o.Events.OnRedirectToLogin = context =>
                {
                    context.Response.Redirect(context.HttpContext.Items.ContainsKey(SessionEndedItem) ? SessionEndedPath : context.RedirectUri);
                    return Task.CompletedTask;
                };
            });
        if (settings.Oidc is { } oidc)
        {
            authentication.AddOpenIdConnect(OidcScheme, o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.Scope.Clear();
                o.Scope.Add("openid");
                foreach (var scope in oidc.Scopes)
                {
                    o.Scope.Add(scope);
                }

                o.Events.OnTokenValidated = SessionFromProviderAsync;
            });
        }

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>Where a live session's access token is kept for the request (<see cref="AccessTokenOf"/>).</summary>
    private const string AccessTokenItem = "reconmesh.access-token";

    /// <summary>
    /// A session whose token has expired is over: signed out, and the request treated as anonymous. A live one's token
    /// is kept for the request, read once here, so the page's parallel calls to the services need not authenticate again.
    /// </summary>
    private static async Task EndWithTheToken(CookieValidatePrincipalContext context)
    {
        var tickets = context.HttpContext.RequestServices.GetRequiredService<SessionTickets>();
        if (!tickets.IsLive(context.Properties))
        {
            context.RejectPrincipal();
            context.HttpContext.Items[SessionEndedItem] = true;
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.HttpContext.Items[AccessTokenItem] = context.Properties.GetTokenValue(SessionTickets.AccessTokenName);
    }

    /// <summary>The signed-in person's access token for this request, or null without a live session.</summary>
    public static string? AccessTokenOf(HttpContext context) => context?.Items[AccessTokenItem] as string;

    /// <summary>
    /// After the provider's code flow: the session is made from the access token, checked as the services check it (the
    /// tenants and roles they will see), not from the ID token, which is about the person and not meant for the services.
    /// </summary>
    private static async Task SessionFromProviderAsync(TokenValidatedContext context)
    {
        var tickets = context.HttpContext.RequestServices.GetRequiredService<SessionTickets>();
        var accessToken = context.TokenEndpointResponse?.AccessToken;
        var check = await context.HttpContext.RequestServices.GetRequiredService<AccessTokenValidator>()
            .ValidateAsync(accessToken, context.HttpContext.RequestAborted);
        if (!check.Accepted)
        {
            context.Fail($"The provider's access token is not one the services accept: {check.Problem}");
            return;
        }

        var (principal, properties) = tickets.Create(check, accessToken!);
        context.Principal = principal;
        context.Properties!.ExpiresUtc = properties.ExpiresUtc;
        foreach (var (key, value) in properties.Items)
        {
            context.Properties.Items[key] = value;
        }
    }
}
