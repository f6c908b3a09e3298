using Marten;
using ReconMesh.Domain.Writeback;
using ReconMesh.EventSourcing.Store;
using ReconMesh.WritebackService.Invoices;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService;

/// <summary>WritebackService's part of the event store.</summary>
public static class WritebackStore
{
    public const string Schema = "writeback";

    /// <summary>
    /// How long this store's relay gathers appends before it reads them (<see cref="EventSourcing.Relay.RelayPaceOptions.Gather"/>).
    /// None of its events is on a payment's way to the books: a booking is made by the write itself, before its
    /// <see cref="PaymentStatusWrittenBack"/> is appended. At 100 payments a second the relay followed every second
    /// write (0.49 pages a payment, each seven statements) and its consumers took them one or two at a time
    /// (docs/benchmarks.md, session 25).
    /// </summary>
    public static readonly TimeSpan RelayGather = TimeSpan.FromMilliseconds(100);

    public static void Configure(StoreOptions options)
    {
        options.Events.MapEventType<PaymentStatusWrittenBack>("payment_written_back");
        options.Events.MapEventType<WritebackNeedsAttention>("writeback_needs_attention");
        options.Events.MapEventType<WritebackCancelled>("writeback_cancelled");
        options.Events.MapEventType<Domain.Writeback.WritebackAwaitingInvoices>("writeback_awaiting_invoices");
        options.Events.MapEventType<WritebackWaiting>("writeback_waiting");
        options.Events.MapEventType<PaymentWrittenToPrimaryOnly>("payment_written_to_primary_only");
        options.Events.MapEventType<PaymentWrittenToSecondaryOnly>("payment_written_to_secondary_only");
        options.Events.MapEventType<PaymentStatusReverted>("payment_reversed_in_integration");
        options.Events.MapEventType<Domain.Writeback.ExceptionRetryRequested>("exception_retry_requested");
        options.Events.MapEventType<Domain.Writeback.ExceptionDismissed>("exception_dismissed");
        options.Events.MapEventType<Payouts.PayoutDepositRecorded>("payout_deposit_recorded");
        options.Events.MapEventType<Payouts.PayoutDepositSkipped>("payout_deposit_skipped");
        options.Events.MapEventType<Payouts.PayoutDepositNeedsAttention>("payout_deposit_needs_attention");
        options.Projections.Add(new DeciderProjection<WritebackRecord>(WritebackRecord.Evolve), JasperFx.Events.Projections.ProjectionLifecycle.Inline);
        // A payout's record is folded from its own events only: a payment's writeback stream has none of them.
        options.Projections.Add(new DeciderProjection<Payouts.PayoutRecord>(Payouts.PayoutRecord.Next, Payouts.PayoutRecord.EventTypes),
            JasperFx.Events.Projections.ProjectionLifecycle.Inline);
        options.Schema.For<Payouts.PayoutRecord>().Index(x => x.TenantId).Index(x => x.DecidedAt);
        options.Schema.For<Payouts.PaymentSettlement>();
        options.Schema.For<Integrations.Connections.ConnectionRegistration>();
        options.Schema.For<KnownInvoice>().UseOptimisticConcurrency(true).Index(x => x.TenantId);
        options.Schema.For<Trust.RefusedMessage>().Index(x => x.ClaimedTenantId).Index(x => x.TargetTenantId);
        options.Schema.For<PaymentReconciliation>().Identity(x => x.CorrelationId).UseOptimisticConcurrency(true)
            .Index(x => x.TenantId).Index(x => x.CurrentState);
    }
}
