using ReconMesh.Contracts.Invoices;
using ReconMesh.Integrations.Connections;
using ReconMesh.WritebackService.Invoices;

namespace ReconMesh.WritebackService.Trust;

/// <summary>
/// Every invoice of a message must come through a connection of the tenant and kind it names, under the id made of both
/// (<see cref="InvoiceClaims"/>). An unknown connection is the consumer's to wait for.
/// </summary>
public sealed class InvoicesSyncedClaims(ConnectionCatalog connections) : IClaimCheck<InvoicesSynced>
{
    public async Task<Refusal?> CheckAsync(InvoicesSynced message, CancellationToken cancellationToken) =>
        InvoiceClaims.Malformed(message) is null
        && await connections.FindAsync(message.ConnectionId, cancellationToken) is { } connection && InvoiceClaims.Untrusted(message, connection) is { } reason
            ? new Refusal(reason, message.TenantId, connection.TenantId)
            : null;
}
