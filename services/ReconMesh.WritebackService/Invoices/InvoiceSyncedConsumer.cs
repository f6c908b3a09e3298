using Marten;
using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.ServiceDefaults.Sagas;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.Invoices;

/// <summary>
/// Keeps <see cref="KnownInvoice"/> current (an older revision arriving late is ignored), and wakes the payments that
/// were waiting for a newly synced invoice.
/// </summary>
public sealed class InvoiceSyncedConsumer(IDocumentSession session) : IConsumer<InvoiceSynced>
{
    public async Task Consume(ConsumeContext<InvoiceSynced> context)
    {
        var message = context.Message;
        var known = await session.LoadAsync<KnownInvoice>(message.InvoiceId, context.CancellationToken);
        if (known is not null && known.Revision >= message.Revision)
        {
            return;
        }

        var isNew = known is null;
        known ??= new KnownInvoice { Id = message.InvoiceId };
        known.Revision = message.Revision;
        known.TenantId = message.TenantId;
        known.ConnectionId = message.ConnectionId;
        known.Integration = message.Integration;
        known.ExternalId = message.ExternalId;
        known.Number = message.Number;
        known.CustomerExternalId = message.CustomerExternalId;
        known.Currency = message.Currency;
        known.Total = message.Total;
        known.Balance = message.Balance;
        if (isNew)
        {
            session.Insert(known);
        }
        else
        {
            session.Update(known);
        }

        // Optimistic concurrency: two revisions racing cannot leave the older one stored; the loser is retried.
        await session.SaveChangesAsync(context.CancellationToken);

        if (isNew)
        {
            // A payment that names this invoice may be waiting for it. (One that starts waiting just after this look is
            // found by the InvoiceWaitMonitor's next pass.)
            var waiting = await session.Query<PaymentReconciliation>()
                .Where(s => s.CurrentState == InvoiceWaitMonitor.WaitingState && s.WaitingForInvoiceIds.Contains(message.InvoiceId))
                .Select(s => s.CorrelationId)
                .ToListAsync(context.CancellationToken);
            foreach (var meshPaymentId in waiting)
            {
                await context.Publish(new AwaitedInvoicesSynced(meshPaymentId), context.CancellationToken);
            }
        }
    }
}

public sealed class InvoiceSyncedConsumerDefinition : ConsumerDefinition<InvoiceSyncedConsumer>
{
    public InvoiceSyncedConsumerDefinition()
    {
        EndpointName = "writeback.invoice-directory";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<InvoiceSyncedConsumer> consumerConfigurator, IRegistrationContext context) =>
        SagaEndpointPolicy.Apply(endpointConfigurator, context);
}
