using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.ServiceDefaults.Security;

/// <summary>
/// The one place where a ReconMesh service's HTTP API is closed: every endpoint needs a valid bearer token, and the
/// operator policy (<see cref="OperatorAccessHandler"/>) unless it says otherwise. Only two kinds of endpoint say
/// otherwise, each by a marker the endpoint test knows: the health probes, and webhooks that check a signature of
/// their own (<see cref="AsSignedWebhook{TBuilder}"/>). <c>/metrics</c> needs the <see cref="AccessRoles.Metrics"/>
/// (or admin) role.
/// </summary>
public static class ApiSecurityExtensions
{
    /// <summary>The policy of <c>/metrics</c>.</summary>
    public const string MetricsPolicy = "reconmesh-metrics";

    /// <summary>Algorithms a token may be signed with: asymmetric only, so no shared secret can sign one.</summary>
    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>
    /// Bearer-token authentication (<see cref="ApiSecuritySettings"/>; the process exits with code 2 when they are
    /// missing) and the operator policy as both default and fallback policy, so nothing mapped is left open by omission.
    /// </summary>
    public static WebApplicationBuilder AddApiSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = ApiSecuritySettings.Read(builder.Configuration);
        var keys = JwksFileKeys.OpenOrExit(settings);

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ApiSecured>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            // Claims keep the names the token has ("tenant", "roles"), not the long WS-* names they would be mapped to.
            o.MapInboundClaims = false;
            o.TokenValidationParameters = TokenValidation(settings);
            if (settings.Authority is { } authority)
            {
                o.Authority = authority;
                o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            }
            else
            {
                o.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => keys!.Current;
            }
        });

        var operatorPolicy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new TenantScopeRequirement(), new OperatorRoleRequirement())
            .Build();
        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(operatorPolicy)
            .SetFallbackPolicy(operatorPolicy)
            .AddPolicy(MetricsPolicy, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser()
                .RequireRole(AccessRoles.Metrics, AccessRoles.Admin));
        builder.Services.AddSingleton<IAuthorizationHandler, OperatorAccessHandler>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, HiddenTenantResultHandler>();
        return builder;
    }

    /// <summary>
    /// What a token must be to be accepted: issuer, audience, lifetime (30 s of clock skew), an asymmetric signature; the
    /// keys are added by whoever validates (the JwtBearer handler here, <see cref="AccessTokenValidator"/> elsewhere).
    /// One definition, so the console's sign-in accepts exactly the tokens the services accept.
    /// </summary>
    public static TokenValidationParameters TokenValidation(ApiSecuritySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = Algorithms,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = "sub",
            RoleClaimType = settings.RoleClaim,
        };
    }

    /// <summary>
    /// Marks a webhook that authenticates its caller by a signature of its own (HMAC, a provider's key): no bearer token
    /// is asked for. The marker is what the endpoint test allows, so a new anonymous endpoint cannot slip in unnoticed.
    /// </summary>
    public static TBuilder AsSignedWebhook<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().WithMetadata(new SignedWebhookMetadata());

    /// <summary>Authentication and authorization in the pipeline, when <see cref="AddApiSecurity"/> was called.</summary>
    internal static bool UseApiSecurityIfAdded(this WebApplication app)
    {
        if (app.Services.GetService<ApiSecured>() is null)
        {
            return false; // the sandbox: simulators of other people's APIs, which check those APIs' own credentials
        }

        app.UseAuthentication();
        app.UseAuthorization();
        return true;
    }

    /// <summary>Registered by <see cref="AddApiSecurity"/>: the host's API is closed.</summary>
    internal sealed class ApiSecured;
}

/// <summary>Endpoint metadata: a webhook that checks its own signature instead of a bearer token.</summary>
public sealed class SignedWebhookMetadata;
