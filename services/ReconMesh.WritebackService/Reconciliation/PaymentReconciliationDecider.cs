using ReconMesh.Contracts.Payments;
using WritebackDecider = ReconMesh.Domain.Writeback.WritebackDecider;
using static ReconMesh.WritebackService.Reconciliation.ReconciliationState;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// One payment's way into the books, as a pure function of its reconciliation and the event heard. Accepted by the
/// mesh, it is written back to its integration and Applied; if it names an invoice the mesh has not synced yet, it is
/// WaitingForInvoice until the invoice arrives (or, after the configured time, needs attention); if it cannot be
/// written, it NeedsAttention with the reason, until a person retries or dismisses it. If the platform later reports
/// the payment failed, what was written is Reversed, or, when nothing was written yet, the payment is Cancelled and
/// nothing will be. Every transition is caused by an event recorded in a stream first, and every payment ends
/// Applied, Reversed, Cancelled or Dismissed, or waits in NeedsAttention with a reason.
/// </summary>
/// <remarks>
/// The commands are sent after the reconciliation is stored. A process that dies in between leaves it on its way with
/// no command; the event that moved it was not acknowledged, so it comes again and the command is issued again. The
/// write and reversal are idempotent, so the relay's duplicates of an event cost a check and nothing more.
/// </remarks>
public static partial class PaymentReconciliationDecider
{
    public static ReconciliationDecision Decide(PaymentReconciliation? current, object message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (current is null)
        {
            return Start(message, now);
        }

        var next = current.Copy();
        return current.CurrentState switch
        {
            FailedBeforeAcceptance => OnceFailedBeforeAcceptance(next, message, now),
            WritingBack => WhileWritingBack(next, message, now),
            WaitingForInvoice => WhileWaitingForInvoice(next, message, now),
            Applied => OnceApplied(next, message, now),
            Reversing => WhileReversing(next, message, now),
            NeedsAttention => WhileNeedingAttention(next, message, now),
            Reversed => OnceReversed(next, message, now),
            Cancelled => OnceCancelled(next, message, now),
            DismissedByPerson => OnceDismissed(next, message, now),
            _ => ReconciliationDecision.Unhandled,
        };
    }

    private static ReconciliationDecision Start(object message, DateTimeOffset now) => message switch
    {
        PaymentAccepted m => Move(Remember(new PaymentReconciliation { CorrelationId = m.MeshPaymentId }, m, now), WritingBack, now, Write),
        // A failure can overtake the acceptance on the bus: it starts the reconciliation, which then waits for the payment.
        PaymentFailureAccepted m => Move(NoteFailure(new PaymentReconciliation { CorrelationId = m.MeshPaymentId }, m), FailedBeforeAcceptance, now),
        AwaitedInvoicesSynced => ReconciliationDecision.Ignored,
        _ => ReconciliationDecision.Dropped,
    };

    private static ReconciliationDecision OnceFailedBeforeAcceptance(PaymentReconciliation s, object message, DateTimeOffset now) => message switch
    {
        // The command carries the failure: the write consumer records a cancellation instead of writing.
        PaymentAccepted m => Move(Remember(s, m, now), WritingBack, now, Write),
        PaymentFailureAccepted or WritebackAwaitingInvoices or AwaitedInvoicesSynced => ReconciliationDecision.Ignored,
        _ => ReconciliationDecision.Unhandled,
    };

    private static ReconciliationDecision WhileWritingBack(PaymentReconciliation s, object message, DateTimeOffset now) => message switch
    {
        PaymentAccepted or ExceptionRetryRequested or AwaitedInvoicesSynced => ReconciliationDecision.Send(Write(s)),
        WritebackAwaitingInvoices m => Move(Wait(s, m, now), WaitingForInvoice, now),
        // Also how a wait ended by the failure gets its (possibly lost) command again.
        PaymentFailureAccepted m => Move(NoteFailure(s, m), WritingBack, now, Write),
        PaymentStatusWrittenBack m => AfterWritten(Written(s, m), now),
        WritebackFailed m when IsCancellation(m) => Move(Attention(s, m, WritebackDecider.WriteStage), Cancelled, now),
        // With the failure known, a write that needed a person may still have booked half of a paired payment: the
        // reversal reverts exactly what the writeback stream says was booked, or cancels when nothing was.
        WritebackFailed m => s.FailureReceived
            ? Move(Attention(s, m, WritebackDecider.WriteStage), Reversing, now, SupersedingReverse)
            : Move(Attention(s, m, WritebackDecider.WriteStage), NeedsAttention, now),
        _ => ReconciliationDecision.Unhandled,
    };

    private static ReconciliationDecision WhileWaitingForInvoice(PaymentReconciliation s, object message, DateTimeOffset now) => message switch
    {
        PaymentAccepted => ReconciliationDecision.Ignored,
        // A second copy of the write (a redelivery) found the invoice the first was waiting for, and wrote.
        PaymentStatusWrittenBack m => AfterWritten(Written(s, m), now),
        WritebackAwaitingInvoices m => Move(Wait(s, m, now), WaitingForInvoice, now),
        AwaitedInvoicesSynced => Move(s, WritingBack, now, Write),
        // Nothing is written yet: the command carries the failure, and the write consumer records the cancellation.
        PaymentFailureAccepted m => Move(NoteFailure(s, m), WritingBack, now, Write),
        // The cancellation of an earlier copy of the write that saw the failure.
        WritebackFailed m when IsCancellation(m) => Move(Attention(s, m, WritebackDecider.WriteStage), Cancelled, now),
        // The invoices did not arrive in time (recorded by the InvoiceWaitMonitor).
        WritebackFailed m => Move(Attention(s, m, WritebackDecider.WriteStage), NeedsAttention, now),
        _ => ReconciliationDecision.Unhandled,
    };

    private static ReconciliationDecision OnceApplied(PaymentReconciliation s, object message, DateTimeOffset now) => message switch
    {
        // Two copies of the write booked it under different ids: one is recorded, the other is in the books unseen.
        WritebackFailed m when IsBookedTwice(m) => Move(Attention(s, m, WritebackDecider.WriteStage), NeedsAttention, now),
        PaymentAccepted or PaymentStatusWrittenBack or WritebackFailed or WritebackAwaitingInvoices or AwaitedInvoicesSynced => ReconciliationDecision.Ignored,
        PaymentFailureAccepted m => Move(NoteFailure(s, m), Reversing, now, Reverse),
        _ => ReconciliationDecision.Unhandled,
    };

    private static ReconciliationDecision WhileReversing(PaymentReconciliation s, object message, DateTimeOffset now) => message switch
    {
        PaymentAccepted or WritebackAwaitingInvoices or AwaitedInvoicesSynced => ReconciliationDecision.Ignored,
        PaymentStatusWrittenBack or PaymentFailureAccepted or ExceptionRetryRequested => ReconciliationDecision.Send(Reverse(s)),
        PaymentStatusReverted => Move(s, Reversed, now),
        // Nothing had been booked for a payment whose failure superseded a person's attention.
        WritebackFailed m when IsCancellation(m) => Move(Attention(s, m, WritebackDecider.WriteStage), Cancelled, now),
        WritebackFailed m => Move(Attention(s, m, WritebackDecider.ReverseStage), NeedsAttention, now),
        _ => ReconciliationDecision.Unhandled,
    };
}
