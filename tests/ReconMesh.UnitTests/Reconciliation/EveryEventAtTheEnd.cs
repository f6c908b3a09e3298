using static ReconMesh.UnitTests.Reconciliation.Happenings;
using static ReconMesh.UnitTests.Reconciliation.Expect;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>
/// Every event in the states a payment ends in: reversed, cancelled, dismissed by a person. Late or repeated deliveries
/// change nothing; a person's retry or dismissal that arrives there faults. The event under test carries edition 2.
/// </summary>
[TestFixture]
public sealed class EveryEventAtTheEnd : StateEventTable
{
    public static IEnumerable<TestCaseData> Table()
    {
        yield return Row(Givens.Reversed, Happening.PaymentAccepted, Ignored);
        yield return Row(Givens.Reversed, Happening.PaymentStatusWrittenBack, Ignored);
        yield return Row(Givens.Reversed, Happening.WritebackFailed, Ignored);
        yield return Row(Givens.Reversed, Happening.PaymentFailureAccepted, Ignored);
        yield return Row(Givens.Reversed, Happening.PaymentStatusReverted, Ignored);
        yield return Row(Givens.Reversed, Happening.ExceptionRetryRequested,
            Faults("CAN happen: the relay replays a person's retry of the reversal that led here; harmless, lands in the error queue"));
        yield return Row(Givens.Reversed, Happening.ExceptionDismissed, Faults("cannot happen: the API needs NeedsAttention"));
        yield return Row(Givens.Reversed, Happening.WritebackAwaitingInvoices, Ignored);
        yield return Row(Givens.Reversed, Happening.AwaitedInvoicesSynced, Ignored);

        // CAN happen: the retry of a write that booked after the cancellation's look and could not record the booking (the
        // store away). Its write, carrying the failure, looks again (WritebackDecider.DecideWrite); a plain repeat finds nothing.
        yield return Row(Givens.Cancelled, Happening.PaymentAccepted, Goes("Cancelled", Command.WritePaymentBack));
        // CAN happen: a copy of the write already under way when another copy cancelled records its booking afterwards
        // (WritebackDecider.RecordAfterRace). The money is booked: it is reverted.
        yield return Row(Givens.Cancelled, Happening.PaymentStatusWrittenBack,
            Goes("Reversing", Command.ReversePayment, k => k with { ExternalIds = ExternalId(2) }));
        // The same for a paired write that booked the PSA half only; a stale attention gets the cancellation recorded again.
        yield return Row(Givens.Cancelled, Happening.WritebackFailed,
            Goes("Reversing", Command.ReversePayment, k => k with { Stage = "write", Reason = Failure(2) }));
        yield return Row(Givens.Cancelled, Happening.PaymentFailureAccepted, Ignored);
        yield return Row(Givens.Cancelled, Happening.PaymentStatusReverted, Faults("cannot happen: no reversal was asked for"));
        yield return Row(Givens.Cancelled, Happening.ExceptionRetryRequested,
            Faults("CAN happen: a person retries a write-stage attention while the platform's failure cancels it; lands in the error queue"));
        yield return Row(Givens.Cancelled, Happening.ExceptionDismissed,
            Faults("CAN happen: a person dismisses a write-stage attention while the platform's failure cancels it; lands in the error queue"));
        yield return Row(Givens.Cancelled, Happening.WritebackAwaitingInvoices, Ignored);
        yield return Row(Givens.Cancelled, Happening.AwaitedInvoicesSynced, Ignored);

        yield return Row(Givens.DismissedByPerson, Happening.PaymentAccepted, Ignored);
        yield return Row(Givens.DismissedByPerson, Happening.PaymentStatusWrittenBack, Ignored);
        yield return Row(Givens.DismissedByPerson, Happening.WritebackFailed, Ignored);
        // A dismissal does not undo what the mesh booked: the reversal reverts it, or cancels (see NoMoneyLeftBooked).
        yield return Row(Givens.DismissedByPerson, Happening.PaymentFailureAccepted,
            Goes("Reversing", Command.ReversePayment, k => k with { FailureReceived = true }));
        yield return Row(Givens.DismissedByPerson, Happening.PaymentStatusReverted, Faults("cannot happen: no reversal was asked for"));
        yield return Row(Givens.DismissedByPerson, Happening.ExceptionRetryRequested, Faults("cannot happen: the API refuses a dismissed payment"));
        yield return Row(Givens.DismissedByPerson, Happening.ExceptionDismissed, Ignored);
        yield return Row(Givens.DismissedByPerson, Happening.WritebackAwaitingInvoices, Ignored);
        yield return Row(Givens.DismissedByPerson, Happening.AwaitedInvoicesSynced, Ignored);
    }

    [TestCaseSource(nameof(Table))]
    public Task Specified(Given given, Happening happening, Expect then) => VerifyAsync(given, happening, then);
}
