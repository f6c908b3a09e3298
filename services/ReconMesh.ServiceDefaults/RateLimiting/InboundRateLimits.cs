using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ReconMesh.ServiceDefaults.RateLimiting;

/// <summary>
/// Limits on what callers send us (ASP.NET Core's rate limiter), as opposed to <c>IApiRateLimiter</c> in
/// ReconMesh.Integrations, which paces what we send the integrations. Every service has the middleware; an endpoint
/// opts in by naming a policy a service registers (<see cref="AddPerRouteValueLimit"/>). A refused request is answered
/// 429 with a problem body and Retry-After.
/// </summary>
public static class InboundRateLimits
{
    internal static IServiceCollection AddInboundRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: "This address takes a limited number of requests a minute; this one was not processed. Try again later.")
                    .ExecuteAsync(context.HttpContext);
            };
        });

    internal static IApplicationBuilder UseInboundRateLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    /// <summary>
    /// A policy allowing <paramref name="permitsPerMinute"/> requests a minute for each value of the route value
    /// <paramref name="routeValue"/> (e.g. one budget per connection), none queued.
    /// </summary>
    public static IServiceCollection AddPerRouteValueLimit(this IServiceCollection services, string policy, string routeValue, int permitsPerMinute) =>
        services.AddRateLimiter(options => options.AddPolicy(policy, context =>
            RateLimitPartition.GetFixedWindowLimiter(context.GetRouteValue(routeValue)?.ToString() ?? "", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permitsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })));
}
