using static ReconMesh.UnitTests.Reconciliation.Happenings;
using static ReconMesh.UnitTests.Reconciliation.Expect;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>
/// Every event in every state before anything is written: no saga yet, failed before accepted, writing back, waiting
/// for an invoice. The event under test carries edition 2 of its content (see <see cref="Happenings"/>).
/// </summary>
[TestFixture]
public sealed class EveryEventBeforeTheWrite : StateEventTable
{
    public static IEnumerable<TestCaseData> Table()
    {
        // No saga yet: only the acceptance and the platform's failure start one; an invoice's arrival is discarded.
        yield return Row(Givens.NoSaga, Happening.PaymentAccepted, Goes("WritingBack", Command.WritePaymentBack));
        yield return Row(Givens.NoSaga, Happening.PaymentStatusWrittenBack, Dropped("cannot happen: a write needs the saga's command"));
        yield return Row(Givens.NoSaga, Happening.WritebackFailed, Dropped("cannot happen: nothing was asked of the write consumer"));
        yield return Row(Givens.NoSaga, Happening.PaymentFailureAccepted, Goes("FailedBeforeAcceptance", changes: k => k with { FailureReceived = true }));
        yield return Row(Givens.NoSaga, Happening.PaymentStatusReverted, Dropped("cannot happen"));
        yield return Row(Givens.NoSaga, Happening.ExceptionRetryRequested, Dropped("cannot happen: the API refuses a payment it does not know"));
        yield return Row(Givens.NoSaga, Happening.ExceptionDismissed, Dropped("cannot happen: the API refuses a payment it does not know"));
        yield return Row(Givens.NoSaga, Happening.WritebackAwaitingInvoices, Dropped("cannot happen"));
        yield return Row(Givens.NoSaga, Happening.AwaitedInvoicesSynced, Ignored with { Says = "discarded, no reconciliation is made" });

        // Failed before accepted: the acceptance starts the write (the write consumer records a cancellation instead).
        yield return Row(Givens.FailedBeforeAcceptance, Happening.PaymentAccepted, Goes("WritingBack", Command.WritePaymentBack));
        yield return Row(Givens.FailedBeforeAcceptance, Happening.PaymentStatusWrittenBack, Faults("cannot happen: no write was asked for"));
        yield return Row(Givens.FailedBeforeAcceptance, Happening.WritebackFailed, Faults("cannot happen: no write was asked for"));
        yield return Row(Givens.FailedBeforeAcceptance, Happening.PaymentFailureAccepted, Ignored);
        yield return Row(Givens.FailedBeforeAcceptance, Happening.PaymentStatusReverted, Faults("cannot happen"));
        yield return Row(Givens.FailedBeforeAcceptance, Happening.ExceptionRetryRequested, Faults("cannot happen: the API needs NeedsAttention"));
        yield return Row(Givens.FailedBeforeAcceptance, Happening.ExceptionDismissed, Faults("cannot happen: the API needs NeedsAttention"));
        yield return Row(Givens.FailedBeforeAcceptance, Happening.WritebackAwaitingInvoices, Ignored);
        yield return Row(Givens.FailedBeforeAcceptance, Happening.AwaitedInvoicesSynced, Ignored);

        // Writing back: every way of being told again re-issues the command; the write's outcomes move the saga on.
        yield return Row(Givens.WritingBack, Happening.PaymentAccepted, Goes("WritingBack", Command.WritePaymentBack));
        yield return Row(Givens.WritingBack, Happening.PaymentStatusWrittenBack, Goes("Applied", changes: k => k with { ExternalIds = ExternalId(2) }));
        yield return Row(Givens.WritingBack, Happening.WritebackFailed,
            Goes("NeedsAttention", changes: k => k with { Stage = "write", Reason = Failure(2) }));
        yield return Row(Givens.WritingBack, Happening.PaymentFailureAccepted,
            Goes("WritingBack", Command.WritePaymentBack, k => k with { FailureReceived = true }));
        yield return Row(Givens.WritingBack, Happening.PaymentStatusReverted, Faults("cannot happen: nothing to revert was asked for"));
        yield return Row(Givens.WritingBack, Happening.ExceptionRetryRequested, Goes("WritingBack", Command.WritePaymentBack));
        yield return Row(Givens.WritingBack, Happening.ExceptionDismissed,
            Faults("cannot happen: the API needs NeedsAttention, and one attention takes a retry or a dismissal, not both"));
        yield return Row(Givens.WritingBack, Happening.WritebackAwaitingInvoices,
            Goes("WaitingForInvoice", changes: k => k with { WaitingFor = Invoice(2).ToString(), WaitingSince = Key.SetNow }));
        yield return Row(Givens.WritingBack, Happening.AwaitedInvoicesSynced, Goes("WritingBack", Command.WritePaymentBack));

        // Waiting for an invoice.
        yield return Row(Givens.WaitingForInvoice, Happening.PaymentAccepted, Ignored);
        // A second write command (from a duplicate acceptance) ran after the invoice synced: the payment IS written.
        yield return Row(Givens.WaitingForInvoice, Happening.PaymentStatusWrittenBack, Goes("Applied", changes: k => k with { ExternalIds = ExternalId(2) }));
        // The wait ran out (InvoiceWaitMonitor). The wait's fields stay until a person retries.
        yield return Row(Givens.WaitingForInvoice, Happening.WritebackFailed,
            Goes("NeedsAttention", changes: k => k with { Stage = "write", Reason = Failure(2) }));
        yield return Row(Givens.WaitingForInvoice, Happening.PaymentFailureAccepted,
            Goes("WritingBack", Command.WritePaymentBack, k => k with { FailureReceived = true }));
        yield return Row(Givens.WaitingForInvoice, Happening.PaymentStatusReverted, Faults("cannot happen: nothing to revert was asked for"));
        yield return Row(Givens.WaitingForInvoice, Happening.ExceptionRetryRequested,
            Faults("CAN happen: the relay replays a person's retry that led here (at-least-once); harmless, lands in the error queue"));
        yield return Row(Givens.WaitingForInvoice, Happening.ExceptionDismissed, Faults("cannot happen: the API needs NeedsAttention"));
        // A re-check: the invoices it names now, the wait measured from the first time.
        yield return Row(Givens.WaitingForInvoice, Happening.WritebackAwaitingInvoices,
            Goes("WaitingForInvoice", changes: k => k with { WaitingFor = Invoice(2).ToString() }));
        // The write is tried again; the wait's fields stay as they were.
        yield return Row(Givens.WaitingForInvoice, Happening.AwaitedInvoicesSynced, Goes("WritingBack", Command.WritePaymentBack));
    }

    [TestCaseSource(nameof(Table))]
    public Task Specified(Given given, Happening happening, Expect then) => VerifyAsync(given, happening, then);
}
