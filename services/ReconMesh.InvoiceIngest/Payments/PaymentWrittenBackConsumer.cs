using System.Diagnostics;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.Domain.Invoices;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Integrations.Connections;
using ReconMesh.EventSourcing.Store;

namespace ReconMesh.InvoiceIngest.Payments;

/// <summary>
/// Payments written to this deployment's connections change their invoices' balances. The write-back says what balance
/// it left, so that is recorded in each invoice's stream at once, in one transaction per batch, instead of reading the
/// invoices back (which cost the integration and the store a read of every recently changed invoice per payment).
/// Where the balance does not follow from what the stream holds (<see cref="InvoiceDecider.DecideWrittenBack"/>), the
/// connection's sync is woken to read it, and that pass joins the payment's trace. The integration's own changes still
/// have to be read (a partner may edit a paid invoice): once a page's worth of a connection's invoices were written back
/// (<see cref="SyncPaceOptions.WrittenBackWake"/>), its sync is woken too. Payments written to a secondary connection
/// touch nothing: its invoices are not synced in.
/// </summary>
public sealed class PaymentWrittenBackConsumer(
    ConnectionCatalog connections, SyncTrigger trigger, InvoiceStreamGate gate, IDocumentSession session, IOptions<SyncPaceOptions> pace,
    TimeProvider clock)
    : IConsumer<Batch<PaymentStatusWrittenBack>>
{
    private const int ConcurrentAppendAttempts = 5;

    public async Task Consume(ConsumeContext<Batch<PaymentStatusWrittenBack>> context)
    {
        using var activity = context.Message.StartBatchActivity("record written-back balances");
        var token = context.CancellationToken;
        var written = new List<PaymentStatusWrittenBack>();
        foreach (var message in context.Message.Select(m => m.Message))
        {
            if (await connections.FindAsync(message.ConnectionId, token) is { IsSecondary: false } connection && connection.TenantId == message.TenantId)
            {
                written.Add(message);
            }
        }

        var toRead = new Dictionary<Guid, ActivityContext>();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using (await gate.EnterAsync(written.Select(m => m.ConnectionId), token))
                {
                    await RecordAsync(written, toRead, token);
                }

                break;
            }
            catch (Exception e) when (ConcurrentAppend.Lost(e))
            {
                // A sync pass appended to one of these invoices meanwhile: decide again on what it recorded. (The failed
                // appends stay pending in the session until ejected: a retry on the same session would repeat them.)
                session.EjectAllPendingChanges();
                if (attempt == ConcurrentAppendAttempts)
                {
                    throw;
                }
            }
        }

        foreach (var (connectionId, cause) in toRead)
        {
            trigger.Wake(connectionId, cause);
        }

        foreach (var byConnection in written.GroupBy(m => m.ConnectionId))
        {
            trigger.WrittenBack(byConnection.Key, byConnection.Sum(m => m.Invoices.Count), pace.Value.WrittenBackWake, Activity.Current?.Context ?? default);
        }
    }

    /// <summary>Decides each written-back invoice on what its stream holds, and appends what was decided in one transaction.</summary>
    private async Task RecordAsync(IReadOnlyList<PaymentStatusWrittenBack> written, Dictionary<Guid, ActivityContext> toRead, CancellationToken token)
    {
        var held = (await session.LoadManyAsync<InvoiceView>(token, written.SelectMany(m => m.Invoices.Select(i => i.InvoiceId)).Distinct()))
            .ToDictionary(v => v.Id);
        var loadedVersions = held.ToDictionary(v => v.Key, v => v.Value.Version);
        var decided = new Dictionary<Guid, List<object>>();
        var now = clock.GetUtcNow();
        foreach (var message in written)
        {
            foreach (var invoice in message.Invoices)
            {
                // Only an invoice of the connection the payment was written to (the message's claim is checked against the stream).
                var view = held.GetValueOrDefault(invoice.InvoiceId) is { } v && v.Invoice.ConnectionId == message.ConnectionId ? v : null;
                var decision = InvoiceDecider.DecideWrittenBack(view, invoice.AmountApplied, invoice.BalanceAfter, message.MeshPaymentId, now);
                if (decision.ReadToConfirm)
                {
                    toRead.TryAdd(message.ConnectionId, Activity.Current?.Context ?? default);
                }

                foreach (var @event in decision.Events)
                {
                    (decided.TryGetValue(invoice.InvoiceId, out var events) ? events : decided[invoice.InvoiceId] = []).Add(@event);
                    // Two payments of one invoice in one batch: the second is decided on what the first left.
                    held[invoice.InvoiceId] = InvoiceView.Evolve(Copy(view!), invoice.InvoiceId, @event)!;
                }
            }
        }

        if (decided.Count > 0)
        {
            foreach (var (id, events) in decided)
            {
                session.Events.Append(id, loadedVersions[id] + events.Count, [.. events]);
            }

            await session.SaveChangesAsync(token);
        }
    }


    private static InvoiceView Copy(InvoiceView view) =>
        new() { Id = view.Id, Version = view.Version, Invoice = view.Invoice, Archived = view.Archived };
}

public sealed class PaymentWrittenBackConsumerDefinition : ConsumerDefinition<PaymentWrittenBackConsumer>
{
    public PaymentWrittenBackConsumerDefinition()
    {
        EndpointName = "invoice-ingest.written-back";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PaymentWrittenBackConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<JasperFx.ConcurrencyException>();
            r.Handle<JasperFx.Events.EventStreamUnexpectedMaxEventIdException>();
            r.Exponential(20, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50));
        });
        consumerConfigurator.Options<BatchOptions>(o => o.SetMessageLimit(100).SetTimeLimit(TimeSpan.FromMilliseconds(50)).SetConcurrencyLimit(1));
    }
}
