using System.Diagnostics;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Payments;

/// <summary>
/// A payment was written to one of this deployment's connections: its invoices' balances changed in the integration,
/// so the connection's sync is woken to read them back now rather than at its next poll or webhook (which the
/// integration may send minutes later). Wake-ups collapse into one pass; the pass joins the payment's trace, so the
/// trace runs from the platform's event to the read that confirms the write. Payments written to a secondary
/// connection wake nothing: its invoices are not synced in.
/// </summary>
public sealed class PaymentWrittenBackConsumer(ConnectionCatalog connections, SyncTrigger trigger) : IConsumer<PaymentStatusWrittenBack>
{
    public async Task Consume(ConsumeContext<PaymentStatusWrittenBack> context)
    {
        var message = context.Message;
        if (await connections.FindAsync(message.ConnectionId, context.CancellationToken) is { IsSecondary: false } connection
            && connection.TenantId == message.TenantId)
        {
            trigger.Wake(connection.Id, Activity.Current?.Context ?? default);
        }
    }
}

public sealed class PaymentWrittenBackConsumerDefinition : ConsumerDefinition<PaymentWrittenBackConsumer>
{
    public PaymentWrittenBackConsumerDefinition()
    {
        EndpointName = "invoice-ingest.written-back";
    }
}
