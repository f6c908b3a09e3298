using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReconMesh.ServiceDefaults.Security;

/// <summary>
/// The roles a token can carry (in the claim <see cref="ApiSecuritySettings.RoleClaim"/>). Tenants come from the
/// tenant claim; roles say what may be done there.
/// </summary>
public static class AccessRoles
{
    /// <summary>Reads (GET, HEAD) of the tenants the token names.</summary>
    public const string Read = "read";

    /// <summary>Everything <see cref="Read"/> allows, and changes (retry, dismiss, pause, resume, reconcile, add a connection).</summary>
    public const string Write = "write";

    /// <summary>Every tenant, reads and changes, and anything not scoped to one tenant.</summary>
    public const string Admin = "admin";

    /// <summary>The Prometheus scrape endpoint, and nothing else.</summary>
    public const string Metrics = "metrics";

    public static readonly IReadOnlyList<string> All = [Read, Write, Admin, Metrics];
}

/// <summary>The tenant in the route (<c>/tenants/{tenantId}/...</c>) must be one the token names, unless it is an admin's.</summary>
public sealed class TenantScopeRequirement : IAuthorizationRequirement;

/// <summary>Reads need <see cref="AccessRoles.Read"/>, anything else <see cref="AccessRoles.Write"/>; outside a tenant, <see cref="AccessRoles.Admin"/>.</summary>
public sealed class OperatorRoleRequirement : IAuthorizationRequirement;

/// <summary>
/// Decides both requirements for every request, wherever its endpoint is mapped: the policy holding them is the default
/// and the fallback one, so an endpoint gets them unless it is marked anonymous (health probes, signed webhooks) or names
/// another policy (metrics). The tenant is read from the route, not from each handler.
/// </summary>
internal sealed class OperatorAccessHandler(ApiSecuritySettings settings) : IAuthorizationHandler
{
    /// <summary>The route value every tenant-scoped endpoint names its tenant by.</summary>
    public const string TenantRouteValue = "tenantId";

    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        var http = context.Resource as HttpContext;
        var tenant = http?.GetRouteValue(TenantRouteValue) as string;
        var user = context.User;
        var admin = user.IsInRole(AccessRoles.Admin);
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            var met = requirement switch
            {
                TenantScopeRequirement => tenant is null || admin || TenantsOf(user).Contains(tenant, StringComparer.Ordinal),
                OperatorRoleRequirement => http?.GetEndpoint() is null // no endpoint: routing answers 404, nothing to protect
                    || admin
                    || (tenant is not null && (user.IsInRole(AccessRoles.Write)
                        || (user.IsInRole(AccessRoles.Read) && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))))),
                _ => false,
            };
            if (met && requirement is TenantScopeRequirement or OperatorRoleRequirement)
            {
                context.Succeed(requirement);
            }
        }

        return Task.CompletedTask;
    }

    private IEnumerable<string> TenantsOf(ClaimsPrincipal user) => user.FindAll(settings.TenantClaim).Select(c => c.Value);
}

/// <summary>
/// A caller outside the route's tenant is answered 404 (the same whether the tenant exists or not), never 403, so a
/// token reveals nothing about other tenants. A caller inside it who lacks the role gets 403: the tenant is its own.
/// </summary>
internal sealed class HiddenTenantResultHandler : IAuthorizationMiddlewareResultHandler
{
    /// <summary>The title of the 404 a caller gets for a tenant its token does not name.</summary>
    public const string NotFoundTitle = "Not found";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<TenantScopeRequirement>().Any() == true)
        {
            // Nothing from the request is echoed: the answer is the same for every tenant the token does not name.
            await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: NotFoundTitle, detail: "There is nothing at this address.")
                .ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
