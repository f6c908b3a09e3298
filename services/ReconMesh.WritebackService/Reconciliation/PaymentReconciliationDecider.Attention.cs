using ReconMesh.Contracts.Payments;
using WritebackDecider = ReconMesh.Domain.Writeback.WritebackDecider;
using static ReconMesh.WritebackService.Reconciliation.ReconciliationState;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>The states after a person's attention was asked for, the terminal states, and what every transition records.</summary>
public static partial class PaymentReconciliationDecider
{
    private static ReconciliationDecision WhileNeedingAttention(PaymentReconciliation s, object message, DateTimeOffset now) => message switch
    {
        PaymentAccepted or WritebackFailed or PaymentStatusWrittenBack or WritebackAwaitingInvoices or AwaitedInvoicesSynced => ReconciliationDecision.Ignored,
        // Attention at the write stage does not mean nothing was booked (a PSA written, its paired books refused; a write
        // that kept failing may have landed): the reversal reverts what the writeback stream says was booked, or cancels
        // the payment when nothing was.
        PaymentFailureAccepted m when s.AttentionStage == WritebackDecider.WriteStage => Move(NoteFailure(s, m), Reversing, now, SupersedingReverse),
        PaymentFailureAccepted m => Move(NoteFailure(s, m), NeedsAttention, now),
        ExceptionRetryRequested when s.AttentionStage == WritebackDecider.ReverseStage => Move(s, Reversing, now, Reverse),
        // A retry of a payment booked twice: the person has voided the second booking. Writing again would find the
        // payment written and do nothing, leaving it WritingBack; it goes back to where the second booking found it.
        ExceptionRetryRequested when s.ReasonCode == WritebackDecider.BookedTwiceCode => Move(s, s.FailureReceived ? Reversed : Applied, now),
        ExceptionRetryRequested => Move(Retried(s), WritingBack, now, Write),
        ExceptionDismissed m => Move(Dismissed(s, m), DismissedByPerson, now),
        _ => ReconciliationDecision.Unhandled,
    };

    /// <summary>Terminal: late or repeated deliveries change nothing, but a second booking found late needs a person.</summary>
    private static ReconciliationDecision OnceReversed(PaymentReconciliation s, object message, DateTimeOffset now) => message switch
    {
        // The reversal reverted the booking recorded; a second copy's booking under other ids is still in the books.
        WritebackFailed m when IsBookedTwice(m) => Move(Attention(s, m, WritebackDecider.WriteStage), NeedsAttention, now),
        PaymentAccepted or PaymentStatusWrittenBack or WritebackFailed or PaymentFailureAccepted or PaymentStatusReverted or WritebackAwaitingInvoices
            or AwaitedInvoicesSynced => ReconciliationDecision.Ignored,
        _ => ReconciliationDecision.Unhandled,
    };

    /// <summary>
    /// Cancelled means nothing was booked, as far as the stream knew when it was decided. A copy of the write already under
    /// way at that moment records its booking after the cancellation (WritebackDecider.RecordAfterRace): what it booked
    /// is reverted, whole or half (a paired write whose accounting half needs a person).
    /// </summary>
    private static ReconciliationDecision OnceCancelled(PaymentReconciliation s, object message, DateTimeOffset now) => message switch
    {
        // A repeated acceptance may be the retry of a write that booked the payment after the cancellation's look and
        // could not record it (the store away): its write, carrying the failure, looks again, and what it finds is
        // recorded and then reverted (nothing found, nothing changes).
        PaymentAccepted => ReconciliationDecision.Send(Write(s)),
        PaymentFailureAccepted or WritebackAwaitingInvoices or AwaitedInvoicesSynced => ReconciliationDecision.Ignored,
        WritebackFailed m when IsCancellation(m) => ReconciliationDecision.Ignored,
        // Superseding: the cancellation may have ended a person's attention to the write, which no longer holds the money back.
        PaymentStatusWrittenBack m => Move(Written(s, m), Reversing, now, SupersedingReverse),
        WritebackFailed m => Move(Attention(s, m, WritebackDecider.WriteStage), Reversing, now, SupersedingReverse),
        _ => ReconciliationDecision.Unhandled,
    };

    /// <summary>
    /// A person's dismissal does not undo what the mesh booked: when the platform later takes the money back, that is
    /// reverted (or, with nothing booked, the payment is cancelled).
    /// </summary>
    private static ReconciliationDecision OnceDismissed(PaymentReconciliation s, object message, DateTimeOffset now) => message switch
    {
        PaymentAccepted or PaymentStatusWrittenBack or WritebackFailed or ExceptionDismissed or WritebackAwaitingInvoices or AwaitedInvoicesSynced =>
            ReconciliationDecision.Ignored,
        PaymentFailureAccepted m => Move(NoteFailure(s, m), Reversing, now, SupersedingReverse),
        _ => ReconciliationDecision.Unhandled,
    };

    /// <summary>Written back: Applied, or, when the platform already said the payment failed, reverted at once.</summary>
    private static ReconciliationDecision AfterWritten(PaymentReconciliation s, DateTimeOffset now) =>
        s.FailureReceived ? Move(s, Reversing, now, Reverse) : Move(s, Applied, now);

    private static ReconciliationDecision Move(PaymentReconciliation s, string state, DateTimeOffset now, params Func<PaymentReconciliation, object>[] commands)
    {
        s.CurrentState = state;
        s.UpdatedAt = now;
        return new ReconciliationDecision(ReconciliationVerdict.Handled, s, [.. commands.Select(c => c(s))]);
    }

    private static PaymentReconciliation Remember(PaymentReconciliation s, PaymentAccepted m, DateTimeOffset now)
    {
        s.PaymentId = m.PaymentId;
        s.TenantId = m.TenantId;
        s.Currency = m.Currency;
        s.Amount = m.Amount;
        s.Surcharge = m.Surcharge;
        s.Allocations = [.. m.Allocations];
        s.ProcessedAt = m.ProcessedAt;
        s.StartedAt = now;
        return s;
    }

    private static PaymentReconciliation NoteFailure(PaymentReconciliation s, PaymentFailureAccepted m)
    {
        s.FailureReceived = true;
        s.FailureReason = $"{m.FailureCode}: {m.Reason}";
        s.ReversalKind = m.Kind;
        s.PaymentId = m.PaymentId;
        s.TenantId = m.TenantId;
        return s;
    }

    private static PaymentReconciliation Attention(PaymentReconciliation s, WritebackFailed m, string stage)
    {
        s.ReasonCode = m.ReasonCode;
        s.Reason = m.Reason;
        s.AttentionStage = stage;
        return s;
    }

    private static PaymentReconciliation Wait(PaymentReconciliation s, WritebackAwaitingInvoices m, DateTimeOffset now)
    {
        s.WaitingForInvoiceIds = [.. m.InvoiceIds];
        s.WaitingSince ??= now; // the wait is measured from the first time, not from each re-check
        return s;
    }

    private static PaymentReconciliation Written(PaymentReconciliation s, PaymentStatusWrittenBack m)
    {
        s.ExternalPaymentIds = [.. m.ExternalPaymentIds];
        s.WrittenStatus = m.Status;
        return s;
    }

    private static PaymentReconciliation Retried(PaymentReconciliation s)
    {
        s.WaitingSince = null;
        return s;
    }

    private static PaymentReconciliation Dismissed(PaymentReconciliation s, ExceptionDismissed m)
    {
        s.Reason = $"{s.Reason} (dismissed: {m.Reason})";
        return s;
    }

    private static bool IsBookedTwice(WritebackFailed m) => m.ReasonCode == WritebackDecider.BookedTwiceCode;

    /// <summary>The write consumer's record that the payment failed on the platform before anything was booked.</summary>
    private static bool IsCancellation(WritebackFailed m) => m.ReasonCode == WritebackEventMap.PaymentFailedBeforeWriteback;

    /// <summary>The write command of the reconciliation's payment, as the saga sends it.</summary>
    internal static WritePaymentBack Write(PaymentReconciliation s) =>
        new(s.CorrelationId, s.PaymentId, s.TenantId, s.Currency, s.ProcessedAt, [.. s.Allocations], s.Surcharge,
            s.FailureReceived ? s.FailureReason ?? "failed" : null);

    private static ReversePayment Reverse(PaymentReconciliation s) =>
        new(s.CorrelationId, s.PaymentId, s.TenantId, s.ReversalKind ?? PaymentReversalKind.Failed, s.Surcharge);

    private static ReversePayment SupersedingReverse(PaymentReconciliation s) =>
        new(s.CorrelationId, s.PaymentId, s.TenantId, s.ReversalKind ?? PaymentReversalKind.Failed, s.Surcharge, SupersedesAttention: true);
}
