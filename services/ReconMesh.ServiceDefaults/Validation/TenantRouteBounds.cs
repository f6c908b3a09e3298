using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReconMesh.ServiceDefaults.Validation;

/// <summary>
/// The tenant id in a route (<c>/tenants/{tenantId}/...</c>) is bounded like every other (<see cref="IdBounds"/>) before
/// any endpoint reads it: 400 with the rule, the value not repeated. After authorization, so a caller without a token
/// still gets 401, and one whose token does not name the tenant 404, as for any other tenant.
/// </summary>
public static class TenantRouteBounds
{
    public const string RouteValue = "tenantId";

    public static IApplicationBuilder UseTenantRouteBounds(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetRouteValue(RouteValue) is string tenant && !IdBounds.IsTenantId(tenant))
            {
                await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed tenant id",
                    detail: $"A tenant id is {IdBounds.TenantIdRule}; the one in the address is not.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
}
