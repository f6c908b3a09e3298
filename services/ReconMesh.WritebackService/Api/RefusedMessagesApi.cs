using Marten;
using ReconMesh.WritebackService.Trust;

namespace ReconMesh.WritebackService.Api;

/// <summary>
/// Messages refused as not what they claim to be (<see cref="RefusedMessage"/>), newest first: a tenant's operators see
/// those that named their tenant or touched their payments; an administrator sees all of them.
/// </summary>
public static class RefusedMessagesApi
{
    private const int Limit = 1000;

    public static IEndpointRouteBuilder MapRefusedMessagesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/tenants/{tenantId}/refused-messages", ForTenantAsync).WithTags("Exceptions");
        endpoints.MapGet("/refused-messages", AllAsync).WithTags("Exceptions");
        return endpoints;
    }

    private static async Task<IResult> ForTenantAsync(string tenantId, IQuerySession session, CancellationToken cancellationToken) =>
        Results.Ok(await session.Query<RefusedMessage>()
            .Where(m => m.ClaimedTenantId == tenantId || m.TargetTenantId == tenantId)
            .OrderByDescending(m => m.RefusedAt).Take(Limit).ToListAsync(cancellationToken));

    private static async Task<IResult> AllAsync(IQuerySession session, CancellationToken cancellationToken) =>
        Results.Ok(await session.Query<RefusedMessage>().OrderByDescending(m => m.RefusedAt).Take(Limit).ToListAsync(cancellationToken));
}
