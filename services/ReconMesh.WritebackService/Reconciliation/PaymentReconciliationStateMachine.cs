using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.EventSourcing.Sagas;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// One payment's way into the books. Accepted by the mesh, it is written back to its integration and Applied; if
/// it names an invoice the mesh has not synced yet, it is WaitingForInvoice until the invoice arrives (or, after the
/// configured time, needs attention); if it cannot be written, it NeedsAttention with the reason, until a person
/// retries or dismisses it. If the platform later
/// reports the payment failed, what was written is Reversed, or, when nothing was written yet, the payment is
/// Cancelled and nothing will be. Every transition is caused by an event recorded in a stream first, and every
/// payment ends Applied, Reversed, Cancelled or Dismissed, or waits in NeedsAttention with a reason.
/// </summary>
public sealed class PaymentReconciliationStateMachine : MassTransitStateMachine<PaymentReconciliation>
{
    public const string WriteStage = "write";
    public const string ReverseStage = "reverse";

    public PaymentReconciliationStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => PaymentAccepted, e => e.CorrelateById(m => m.Message.MeshPaymentId));
        Event(() => PaymentStatusWrittenBack, e => e.CorrelateById(m => m.Message.MeshPaymentId));
        Event(() => WritebackFailed, e => e.CorrelateById(m => m.Message.MeshPaymentId));
        Event(() => PaymentFailureAccepted, e =>
        {
            e.CorrelateById(m => m.Message.MeshPaymentId);
            // A failure can overtake the acceptance on the bus: it starts the saga, which then waits for the payment.
            e.SetSagaFactory(c => new PaymentReconciliation { CorrelationId = c.Message.MeshPaymentId });
        });
        Event(() => PaymentStatusReverted, e => e.CorrelateById(m => m.Message.MeshPaymentId));
        Event(() => ExceptionRetryRequested, e => e.CorrelateById(m => m.Message.MeshPaymentId));
        Event(() => ExceptionDismissed, e => e.CorrelateById(m => m.Message.MeshPaymentId));
        Event(() => WritebackAwaitingInvoices, e => e.CorrelateById(m => m.Message.MeshPaymentId));
        Event(() => AwaitedInvoicesSynced, e =>
        {
            e.CorrelateById(m => m.Message.MeshPaymentId);
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(
            When(PaymentAccepted)
                .Then(c => Remember(c.Saga, c.Message))
                .Publish(c => Write(c.Saga))
                .TransitionTo(WritingBack),
            When(PaymentFailureAccepted)
                .Then(c => NoteFailure(c.Saga, c.Message))
                .TransitionTo(FailedBeforeAcceptance));

        During(FailedBeforeAcceptance,
            When(PaymentAccepted)
                .Then(c => Remember(c.Saga, c.Message))
                // The command carries the failure: the write consumer records a cancellation instead of writing.
                .Publish(c => Write(c.Saga))
                .TransitionTo(WritingBack),
            Ignore(PaymentFailureAccepted), Ignore(WritebackAwaitingInvoices), Ignore(AwaitedInvoicesSynced));

        // The commands below are published after the saga is saved (in-memory outbox): a process that dies in between
        // leaves the saga on its way with no command. The event that moved it there was not acknowledged, so it comes
        // again: the command is issued again. The write and reversal consumers are idempotent and serialised per payment,
        // so the relay's duplicates of an event, which also land here, cost a check and nothing more.
        During(WritingBack,
            When(PaymentAccepted).Publish(c => Write(c.Saga)),
            When(ExceptionRetryRequested).Publish(c => Write(c.Saga)),
            When(AwaitedInvoicesSynced).Publish(c => Write(c.Saga)),
            When(WritebackAwaitingInvoices)
                .Then(c => Wait(c.Saga, c.Message))
                .TransitionTo(WaitingForInvoice),
            // Also how a wait ended by the failure gets its (possibly lost) command again.
            When(PaymentFailureAccepted)
                .Then(c => NoteFailure(c.Saga, c.Message))
                .Publish(c => Write(c.Saga)),
            When(PaymentStatusWrittenBack).Then(c => Written(c.Saga, c.Message))
                .IfElse(c => c.Saga.FailureReceived,
                    failed => failed.Publish(c => Reverse(c.Saga)).TransitionTo(Reversing),
                    ok => ok.TransitionTo(Applied)),
            When(WritebackFailed, c => IsCancellation(c.Message)).Then(c => Attention(c.Saga, c.Message, WriteStage)).TransitionTo(Cancelled),
            // With the failure known, a write that needed a person may still have booked half of a paired payment: the
            // reversal reverts exactly what the writeback stream says was booked, or cancels when nothing was.
            When(WritebackFailed, c => !IsCancellation(c.Message))
                .Then(c => Attention(c.Saga, c.Message, WriteStage))
                .IfElse(c => c.Saga.FailureReceived,
                    failed => failed.Publish(c => Reverse(c.Saga, supersedesAttention: true)).TransitionTo(Reversing),
                    ok => ok.TransitionTo(NeedsAttention)));

        During(WaitingForInvoice,
            Ignore(PaymentAccepted),
            // A second copy of the write (a redelivery) found the invoice the first was waiting for, and wrote.
            When(PaymentStatusWrittenBack).Then(c => Written(c.Saga, c.Message))
                .IfElse(c => c.Saga.FailureReceived,
                    failed => failed.Publish(c => Reverse(c.Saga)).TransitionTo(Reversing),
                    ok => ok.TransitionTo(Applied)),
            When(WritebackAwaitingInvoices).Then(c => Wait(c.Saga, c.Message)),
            When(AwaitedInvoicesSynced)
                .Then(c => Touch(c.Saga))
                .Publish(c => Write(c.Saga))
                .TransitionTo(WritingBack),
            // Nothing is written yet: the command carries the failure, and the write consumer records the cancellation.
            When(PaymentFailureAccepted)
                .Then(c => NoteFailure(c.Saga, c.Message))
                .Publish(c => Write(c.Saga))
                .TransitionTo(WritingBack),
            // The cancellation of an earlier copy of the write that saw the failure.
            When(WritebackFailed, c => IsCancellation(c.Message)).Then(c => Attention(c.Saga, c.Message, WriteStage)).TransitionTo(Cancelled),
            // The invoices did not arrive in time (recorded by the InvoiceWaitMonitor).
            When(WritebackFailed, c => !IsCancellation(c.Message)).Then(c => Attention(c.Saga, c.Message, WriteStage)).TransitionTo(NeedsAttention));

        During(Applied,
            Ignore(PaymentAccepted), Ignore(PaymentStatusWrittenBack), Ignore(WritebackFailed), Ignore(WritebackAwaitingInvoices), Ignore(AwaitedInvoicesSynced),
            When(PaymentFailureAccepted)
                .Then(c => NoteFailure(c.Saga, c.Message))
                .Publish(c => Reverse(c.Saga))
                .TransitionTo(Reversing));

        During(Reversing,
            Ignore(PaymentAccepted), Ignore(WritebackAwaitingInvoices), Ignore(AwaitedInvoicesSynced),
            When(PaymentStatusWrittenBack).Publish(c => Reverse(c.Saga)),
            When(PaymentFailureAccepted).Publish(c => Reverse(c.Saga)),
            When(ExceptionRetryRequested).Publish(c => Reverse(c.Saga)),
            When(PaymentStatusReverted).Then(c => Touch(c.Saga)).TransitionTo(Reversed),
            // Nothing had been booked for a payment whose failure superseded a person's attention.
            When(WritebackFailed, c => IsCancellation(c.Message)).Then(c => Attention(c.Saga, c.Message, WriteStage)).TransitionTo(Cancelled),
            When(WritebackFailed, c => !IsCancellation(c.Message)).Then(c => Attention(c.Saga, c.Message, ReverseStage)).TransitionTo(NeedsAttention));

        During(NeedsAttention,
            Ignore(PaymentAccepted), Ignore(WritebackFailed), Ignore(PaymentStatusWrittenBack), Ignore(WritebackAwaitingInvoices), Ignore(AwaitedInvoicesSynced),
            // Attention at the write stage does not mean nothing was booked (a PSA written, its paired books refused; a
            // write that kept failing may have landed): the reversal reverts what the writeback stream says was booked,
            // or cancels the payment when nothing was.
            When(PaymentFailureAccepted)
                .Then(c => NoteFailure(c.Saga, c.Message))
                .If(c => c.Saga.AttentionStage == WriteStage,
                    write => write.Publish(c => Reverse(c.Saga, supersedesAttention: true)).TransitionTo(Reversing)),
            When(ExceptionRetryRequested)
                .IfElse(c => c.Saga.AttentionStage == ReverseStage,
                    reverse => reverse.Publish(c => Reverse(c.Saga)).TransitionTo(Reversing),
                    write => write.Then(c => c.Saga.WaitingSince = null).Publish(c => Write(c.Saga)).TransitionTo(WritingBack)),
            When(ExceptionDismissed)
                .Then(c =>
                {
                    c.Saga.Reason = $"{c.Saga.Reason} (dismissed: {c.Message.Reason})";
                    Touch(c.Saga);
                })
                .TransitionTo(DismissedByPerson));

        // Terminal states: late or repeated deliveries change nothing.
        During(Reversed, Ignore(PaymentAccepted), Ignore(PaymentStatusWrittenBack), Ignore(WritebackFailed), Ignore(PaymentFailureAccepted), Ignore(PaymentStatusReverted),
            Ignore(WritebackAwaitingInvoices), Ignore(AwaitedInvoicesSynced));
        // Cancelled means nothing was booked, as far as the stream knew when it was decided. A copy of the write already under
        // way at that moment records its booking after the cancellation (WritebackDecider.RecordAfterRace): what it booked
        // is reverted, whole or half (a paired write whose accounting half needs a person).
        During(Cancelled, Ignore(PaymentAccepted), Ignore(WritebackFailed, c => IsCancellation(c.Message)), Ignore(PaymentFailureAccepted),
            Ignore(WritebackAwaitingInvoices), Ignore(AwaitedInvoicesSynced),
            When(PaymentStatusWrittenBack).Then(c => Written(c.Saga, c.Message))
                .Publish(c => Reverse(c.Saga))
                .TransitionTo(Reversing),
            When(WritebackFailed, c => !IsCancellation(c.Message))
                .Then(c => Attention(c.Saga, c.Message, WriteStage))
                .Publish(c => Reverse(c.Saga, supersedesAttention: true))
                .TransitionTo(Reversing));
        // A person's dismissal does not undo what the mesh booked: when the platform later takes the money back, that is
        // reverted (or, with nothing booked, the payment is cancelled).
        During(DismissedByPerson, Ignore(PaymentAccepted), Ignore(PaymentStatusWrittenBack), Ignore(WritebackFailed), Ignore(ExceptionDismissed), Ignore(WritebackAwaitingInvoices),
            Ignore(AwaitedInvoicesSynced),
            When(PaymentFailureAccepted)
                .Then(c => NoteFailure(c.Saga, c.Message))
                .Publish(c => Reverse(c.Saga, supersedesAttention: true))
                .TransitionTo(Reversing));
    }

    public State FailedBeforeAcceptance { get; private set; } = null!;

    public State WritingBack { get; private set; } = null!;

    public State WaitingForInvoice { get; private set; } = null!;

    public State Applied { get; private set; } = null!;

    public State NeedsAttention { get; private set; } = null!;

    public State Reversing { get; private set; } = null!;

    public State Reversed { get; private set; } = null!;

    public State Cancelled { get; private set; } = null!;

    public State DismissedByPerson { get; private set; } = null!;

    public Event<PaymentAccepted> PaymentAccepted { get; private set; } = null!;

    public Event<PaymentStatusWrittenBack> PaymentStatusWrittenBack { get; private set; } = null!;

    public Event<WritebackFailed> WritebackFailed { get; private set; } = null!;

    public Event<PaymentFailureAccepted> PaymentFailureAccepted { get; private set; } = null!;

    public Event<PaymentStatusReverted> PaymentStatusReverted { get; private set; } = null!;

    public Event<ExceptionRetryRequested> ExceptionRetryRequested { get; private set; } = null!;

    public Event<ExceptionDismissed> ExceptionDismissed { get; private set; } = null!;

    public Event<WritebackAwaitingInvoices> WritebackAwaitingInvoices { get; private set; } = null!;

    public Event<AwaitedInvoicesSynced> AwaitedInvoicesSynced { get; private set; } = null!;

    private static void Remember(PaymentReconciliation saga, PaymentAccepted m)
    {
        saga.PaymentId = m.PaymentId;
        saga.TenantId = m.TenantId;
        saga.Currency = m.Currency;
        saga.Amount = m.Amount;
        saga.Surcharge = m.Surcharge;
        saga.Allocations = [.. m.Allocations];
        saga.ProcessedAt = m.ProcessedAt;
        saga.StartedAt = DateTimeOffset.UtcNow;
        Touch(saga);
    }

    private static void NoteFailure(PaymentReconciliation saga, PaymentFailureAccepted m)
    {
        saga.FailureReceived = true;
        saga.FailureReason = $"{m.FailureCode}: {m.Reason}";
        saga.ReversalKind = m.Kind;
        saga.PaymentId = m.PaymentId;
        saga.TenantId = m.TenantId;
        Touch(saga);
    }

    private static void Attention(PaymentReconciliation saga, WritebackFailed m, string stage)
    {
        saga.ReasonCode = m.ReasonCode;
        saga.Reason = m.Reason;
        saga.AttentionStage = stage;
        Touch(saga);
    }

    private static void Wait(PaymentReconciliation saga, WritebackAwaitingInvoices m)
    {
        saga.WaitingForInvoiceIds = [.. m.InvoiceIds];
        saga.WaitingSince ??= DateTimeOffset.UtcNow; // the wait is measured from the first time, not from each re-check
        Touch(saga);
    }

    private static void Touch(PaymentReconciliation saga) => saga.UpdatedAt = DateTimeOffset.UtcNow;

    private static void Written(PaymentReconciliation saga, PaymentStatusWrittenBack m)
    {
        saga.ExternalPaymentIds = [.. m.ExternalPaymentIds];
        saga.WrittenStatus = m.Status;
        Touch(saga);
    }

    /// <summary>The write consumer's record that the payment failed on the platform before anything was booked.</summary>
    private static bool IsCancellation(WritebackFailed m) => m.ReasonCode == WritebackEventMap.PaymentFailedBeforeWriteback;

    private static WritePaymentBack Write(PaymentReconciliation s) =>
        new(s.CorrelationId, s.PaymentId, s.TenantId, s.Currency, s.ProcessedAt, s.Allocations, s.Surcharge,
            s.FailureReceived ? s.FailureReason ?? "failed" : null);

    private static ReversePayment Reverse(PaymentReconciliation s, bool supersedesAttention = false) =>
        new(s.CorrelationId, s.PaymentId, s.TenantId, s.ReversalKind ?? PaymentReversalKind.Failed, s.Surcharge, supersedesAttention);
}

public sealed class PaymentReconciliationDefinition : SagaDefinition<PaymentReconciliation>
{
    public PaymentReconciliationDefinition()
    {
        EndpointName = "writeback.payment-reconciliation";
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<PaymentReconciliation> sagaConfigurator, IRegistrationContext context) =>
        SagaEndpointPolicy.Apply(endpointConfigurator, context);
}
