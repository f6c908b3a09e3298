using System.Diagnostics;
using Marten;
using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.Integrations.Connections;
using ReconMesh.InvoiceIngest.Sync;

namespace ReconMesh.InvoiceIngest.Invoices;

/// <summary>
/// A payment waits for invoices WritebackService has not heard of: each of them this service holds, of the payment's
/// tenant and of one of its serving connections, is announced again as the relay announced it last (<see cref="EventReplay"/>:
/// same message, same message id), so an announcement lost on the way is found again before anyone waits for it: sent to
/// the request's response address when it names one (WritebackService's queue for answers), published otherwise. An
/// invoice of another tenant is left alone. One not synced yet (the platform heard of it before the mesh did) wakes the
/// sync of the tenant's connections, which announces it as soon as the integration has it, instead of at the next poll;
/// woken passes keep their gap (<see cref="SyncPaceOptions.WokenPassGap"/>), so many waiting payments cost one read.
/// Repeats are harmless: the consumers keep the newest revision.
/// </summary>
public sealed class InvoicesAwaitedConsumer(IQuerySession session, ConnectionCatalog connections, EventReplay replay, SyncTrigger trigger)
    : IConsumer<InvoicesAwaited>
{
    /// <summary>At most this many invoices of one payment are announced again (a payment names a handful).</summary>
    public const int MaxInvoices = 100;

    public async Task Consume(ConsumeContext<InvoicesAwaited> context)
    {
        var message = context.Message;
        var token = context.CancellationToken;
        var awaited = message.InvoiceIds.Distinct().Take(MaxInvoices).ToList();
        var held = await session.LoadManyAsync<InvoiceView>(token, awaited);
        var theirs = new List<Guid>();
        foreach (var view in held.Where(v => v.Invoice.TenantId == message.TenantId))
        {
            if (await connections.FindAsync(view.Invoice.ConnectionId, token) is { } connection && connection.TenantId == message.TenantId)
            {
                theirs.Add(view.Id);
            }
        }

        if (context.ResponseAddress is { } asker)
        {
            // The asker's own queue for answers: not published, so the answer does not queue behind a backlog in the
            // asker's directory (another tenant's thousands of invoices it cannot take yet). Whoever can publish this
            // request could send the invoices there itself; the directory believes only invoices that are what they claim.
            await replay.SendLatestAsync(theirs, await context.GetSendEndpoint(asker), token);
        }
        else
        {
            await replay.RepublishLatestAsync(theirs, token);
        }
        if (held.Count < awaited.Count)
        {
            foreach (var connection in connections.All.Where(c => c.TenantId == message.TenantId && !c.IsSecondary))
            {
                trigger.Wake(connection.Id, Activity.Current?.Context ?? default);
            }
        }
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
