using Marten;
using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Invoices;

/// <summary>
/// A payment waits for invoices WritebackService has not heard of: each of them this service holds, of the payment's
/// tenant and of one of its serving connections, is announced again as the relay announced it last (<see cref="EventReplay"/>:
/// same message, same message id), so an announcement lost on the way is found again before anyone waits for it. An
/// invoice of another tenant, or one not synced yet, is left alone (the sync announces it when the integration has it).
/// Repeats are harmless: the consumers keep the newest revision.
/// </summary>
public sealed class InvoicesAwaitedConsumer(IQuerySession session, ConnectionCatalog connections, EventReplay replay) : IConsumer<InvoicesAwaited>
{
    /// <summary>At most this many invoices of one payment are announced again (a payment names a handful).</summary>
    public const int MaxInvoices = 100;

    public async Task Consume(ConsumeContext<InvoicesAwaited> context)
    {
        var message = context.Message;
        var token = context.CancellationToken;
        var held = await session.LoadManyAsync<InvoiceView>(token, message.InvoiceIds.Distinct().Take(MaxInvoices));
        var theirs = new List<Guid>();
        foreach (var view in held.Where(v => v.Invoice.TenantId == message.TenantId))
        {
            if (await connections.FindAsync(view.Invoice.ConnectionId, token) is { } connection && connection.TenantId == message.TenantId)
            {
                theirs.Add(view.Id);
            }
        }

        await replay.RepublishLatestAsync(theirs, token);
    }
}

public sealed class InvoicesAwaitedConsumerDefinition : ConsumerDefinition<InvoicesAwaitedConsumer>
{
    public InvoicesAwaitedConsumerDefinition()
    {
        EndpointName = "invoice-ingest.invoices-awaited";
        ConcurrentMessageLimit = 4;
    }
}
