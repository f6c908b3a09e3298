using ReconMesh.Contracts.Invoices;
using ReconMesh.Integrations.Connections;
using ReconMesh.WritebackService.Invoices;

namespace ReconMesh.WritebackService.Trust;

/// <summary>
/// An invoice must come through a connection of the tenant and kind it names, under the id made of both
/// (<see cref="InvoiceClaims"/>). An unknown connection is the consumer's to wait for.
/// </summary>
public sealed class InvoiceSyncedClaims(ConnectionCatalog connections) : IClaimCheck<InvoiceSynced>
{
    public async Task<Refusal?> CheckAsync(InvoiceSynced message, CancellationToken cancellationToken) =>
        await connections.FindAsync(message.ConnectionId, cancellationToken) is { } connection && InvoiceClaims.Untrusted(message, connection) is { } reason
            ? new Refusal(reason, message.TenantId, connection.TenantId)
            : null;
}
