using System.Security.Claims;
using Marten;
using ReconMesh.InvoiceIngest.Connections;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Api;

/// <summary>
/// <c>DELETE /tenants/{tenantId}/connections/{connectionId}</c>: removes a connection the tenant added through the API.
/// Its sync stops (on this replica at once, on the others at their next registry refresh), its account is free for a
/// new connection, and WritebackService hears of it (<see cref="Contracts.Connections.ConnectionRemoved"/>, relayed from
/// the connection's stream) and writes nothing more to it. Kept as a record: the stream's last event and the
/// connection's document say who removed it and when, and <c>GET</c> shows it with status <c>Removed</c>.
/// <list type="bullet">
/// <item>204: removed, or already removed (repeating the request changes nothing and records nothing more).</item>
/// <item>404: the tenant has no such connection (another tenant's is not found either).</item>
/// <item>409: the connection comes from the deployment's settings (<c>ReconMesh:Connections:*</c>), which the API does
/// not change, or it is the paired accounting connection of another connection that still serves.</item>
/// </list>
/// </summary>
public static class RemoveConnection
{
    public static async Task<IResult> HandleAsync(string tenantId, Guid connectionId, ClaimsPrincipal user, ConnectionCatalog catalog,
        IDocumentStore store, SyncTrigger trigger, TimeProvider clock, CancellationToken cancellationToken)
    {
        var connection = await catalog.FindAsync(connectionId, cancellationToken);
        if (catalog.Removed(connectionId) is { } removed && removed.TenantId == tenantId)
        {
            return Results.NoContent();
        }

        if (connection is null || connection.TenantId != tenantId)
        {
            return ConnectionsApi.NotFound(tenantId, connectionId);
        }

        if (catalog.Registered.FirstOrDefault(r => r.Id == connectionId) is not { } registration)
        {
            return Conflict($"Connection {connectionId} is configured in the deployment's settings (ReconMesh:Connections): remove it there, from every service.");
        }

        if (catalog.All.FirstOrDefault(c => c.SecondaryConnectionId == connectionId) is { } primary)
        {
            return Conflict($"Connection {connectionId} is the paired accounting connection of connection {primary.Id}: remove that one first.");
        }

        var removal = new ConnectionRemovalRecorded(connectionId, tenantId, user.Identity?.Name ?? "(a token without a subject)", clock.GetUtcNow());
        try
        {
            await using var session = store.LightweightSession();
            // The stream holds the connection's addition only: a second removal racing this one fails here.
            session.Events.Append(connectionId, 2, removal);
            session.Store(registration with { RemovedAt = removal.RemovedAt, RemovedBy = removal.RemovedBy });
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is JasperFx.Events.EventStreamUnexpectedMaxEventIdException or JasperFx.ConcurrencyException)
        {
            return Results.NoContent(); // removed meanwhile, perhaps by another replica
        }

        catalog.Register(registration with { RemovedAt = removal.RemovedAt, RemovedBy = removal.RemovedBy });
        trigger.Wake(connectionId); // its sync loop wakes, finds it removed, and ends
        return Results.NoContent();
    }

    private static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The connection cannot be removed through the API", detail: detail);
}
