using System.Diagnostics;
using Marten;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.Domain.Invoices;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Payments;

/// <summary>
/// Payments written to this deployment's connections change their invoices' balances. The write-back says what balance
/// it left, so that is recorded in each invoice's stream at once, in one transaction per batch, instead of reading the
/// invoices back (which cost the integration and the store a read of every recently changed invoice per payment).
/// Where the balance does not follow from what the stream holds (<see cref="InvoiceDecider.DecideWrittenBack"/>), the
/// connection's sync is woken to read it, and that pass joins the payment's trace. Payments written to a secondary
/// connection touch nothing: its invoices are not synced in.
/// </summary>
public sealed class PaymentWrittenBackConsumer(ConnectionCatalog connections, SyncTrigger trigger, IDocumentSession session, TimeProvider clock)
    : IConsumer<Batch<PaymentStatusWrittenBack>>
{
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

        var held = (await session.LoadManyAsync<InvoiceView>(token, written.SelectMany(m => m.Invoices.Select(i => i.InvoiceId)).Distinct()))
            .ToDictionary(v => v.Id);
        var loadedVersions = held.ToDictionary(v => v.Key, v => v.Value.Version);
        var decided = new Dictionary<Guid, List<object>>();
        var toRead = new Dictionary<Guid, ActivityContext>();
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

            // A sync pass that appended to one of these streams meanwhile fails this batch, which is retried on what it recorded.
            await session.SaveChangesAsync(token);
        }

        foreach (var (connectionId, cause) in toRead)
        {
            trigger.Wake(connectionId, cause);
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
