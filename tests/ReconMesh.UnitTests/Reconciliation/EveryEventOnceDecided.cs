using static ReconMesh.UnitTests.Reconciliation.Expect;
using static ReconMesh.UnitTests.Reconciliation.Happenings;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>
/// Every event in every state once the write has an outcome and something may still happen: applied, needing a
/// person (at the write or at the reversal), reversing. The event under test carries edition 2 of its content.
/// </summary>
[TestFixture]
public sealed class EveryEventOnceDecided : StateEventTable
{
    public static IEnumerable<TestCaseData> Table()
    {
        // Applied: only the platform's failure moves it, to reverse what was written; late deliveries change nothing.
        yield return Row(Givens.Applied, Happening.PaymentAccepted, Ignored);
        // The second of a paired write's two WrittenBack (the secondary's comes first): its ids are not kept.
        yield return Row(Givens.Applied, Happening.PaymentStatusWrittenBack, Ignored);
        yield return Row(Givens.Applied, Happening.WritebackFailed, Ignored);
        yield return Row(Givens.Applied, Happening.PaymentFailureAccepted,
            Goes("Reversing", Command.ReversePayment, k => k with { FailureReceived = true }));
        yield return Row(Givens.Applied, Happening.PaymentStatusReverted, Faults("cannot happen: no reversal was asked for"));
        yield return Row(Givens.Applied, Happening.ExceptionRetryRequested,
            Faults("CAN happen: the relay replays a person's retry that led here (at-least-once); harmless, lands in the error queue"));
        yield return Row(Givens.Applied, Happening.ExceptionDismissed, Faults("cannot happen: the API needs NeedsAttention"));
        yield return Row(Givens.Applied, Happening.WritebackAwaitingInvoices, Ignored);
        yield return Row(Givens.Applied, Happening.AwaitedInvoicesSynced, Ignored);

        // Needs attention at the write: a person retries or dismisses.
        yield return Row(Givens.NeedsAttentionToWrite, Happening.PaymentAccepted, Ignored);
        yield return Row(Givens.NeedsAttentionToWrite, Happening.PaymentStatusWrittenBack, Ignored);
        yield return Row(Givens.NeedsAttentionToWrite, Happening.WritebackFailed, Ignored);
        // "Write" does not mean nothing was booked (a paired write's PSA half): the reversal reverts what the stream says
        // was booked, or cancels (see NoMoneyLeftBooked).
        yield return Row(Givens.NeedsAttentionToWrite, Happening.PaymentFailureAccepted,
            Goes("Reversing", Command.ReversePayment, k => k with { FailureReceived = true }));
        yield return Row(Givens.NeedsAttentionToWrite, Happening.PaymentStatusReverted, Faults("cannot happen: no reversal was asked for"));
        // Stage and reason stay (they say what happened last); the wait is forgotten.
        yield return Row(Givens.NeedsAttentionToWrite, Happening.ExceptionRetryRequested,
            Goes("WritingBack", Command.WritePaymentBack, k => k with { WaitingSince = null }));
        yield return Row(Givens.NeedsAttentionToWrite, Happening.ExceptionDismissed,
            Goes("DismissedByPerson", changes: k => k with { Reason = $"{Failure(1)} (dismissed: {Dismissal(2)})" }));
        yield return Row(Givens.NeedsAttentionToWrite, Happening.WritebackAwaitingInvoices, Ignored);
        yield return Row(Givens.NeedsAttentionToWrite, Happening.AwaitedInvoicesSynced, Ignored);

        // Needs attention at the reversal.
        yield return Row(Givens.NeedsAttentionToReverse, Happening.PaymentAccepted, Ignored);
        yield return Row(Givens.NeedsAttentionToReverse, Happening.PaymentStatusWrittenBack, Ignored);
        yield return Row(Givens.NeedsAttentionToReverse, Happening.WritebackFailed, Ignored);
        // Handled but changes nothing visible: the failure was already known; it stays with the person.
        yield return Row(Givens.NeedsAttentionToReverse, Happening.PaymentFailureAccepted, Goes("NeedsAttention"));
        yield return Row(Givens.NeedsAttentionToReverse, Happening.PaymentStatusReverted,
            Faults("cannot happen in order: the reversal consumer records either the reversal or the attention, not both"));
        yield return Row(Givens.NeedsAttentionToReverse, Happening.ExceptionRetryRequested, Goes("Reversing", Command.ReversePayment));
        yield return Row(Givens.NeedsAttentionToReverse, Happening.ExceptionDismissed,
            Goes("DismissedByPerson", changes: k => k with { Reason = $"{Failure(1)} (dismissed: {Dismissal(2)})" }));
        yield return Row(Givens.NeedsAttentionToReverse, Happening.WritebackAwaitingInvoices, Ignored);
        yield return Row(Givens.NeedsAttentionToReverse, Happening.AwaitedInvoicesSynced, Ignored);

        // Reversing: every way of being told again re-issues the reversal; its outcomes move the saga on.
        yield return Row(Givens.Reversing, Happening.PaymentAccepted, Ignored);
        // The second WrittenBack of a paired write: the reversal is asked again; the ids are not updated.
        yield return Row(Givens.Reversing, Happening.PaymentStatusWrittenBack, Goes("Reversing", Command.ReversePayment));
        yield return Row(Givens.Reversing, Happening.WritebackFailed,
            Goes("NeedsAttention", changes: k => k with { Stage = "reverse", Reason = Failure(2) }));
        // Also a second reversal kind (a chargeback after a refund): the reversal is asked again, with the first kind.
        yield return Row(Givens.Reversing, Happening.PaymentFailureAccepted, Goes("Reversing", Command.ReversePayment));
        yield return Row(Givens.Reversing, Happening.PaymentStatusReverted, Goes("Reversed"));
        yield return Row(Givens.Reversing, Happening.ExceptionRetryRequested, Goes("Reversing", Command.ReversePayment));
        yield return Row(Givens.Reversing, Happening.ExceptionDismissed, Faults("cannot happen: the API needs NeedsAttention"));
        yield return Row(Givens.Reversing, Happening.WritebackAwaitingInvoices, Ignored);
        yield return Row(Givens.Reversing, Happening.AwaitedInvoicesSynced, Ignored);
    }

    [TestCaseSource(nameof(Table))]
    public Task Specified(Given given, Happening happening, Expect then) => VerifyAsync(given, happening, then);
}
