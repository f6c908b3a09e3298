using PaymentReversalKind = ReconMesh.Contracts.Payments.PaymentReversalKind;
using ReconMesh.Domain.Writeback;
using static ReconMesh.DomainTests.Writeback.WritebackFacts;

namespace ReconMesh.DomainTests.Writeback;

/// <summary>
/// A payment the platform reports failed may already be in the books: a copy of its write booked it, and the answer or the
/// append of what it booked was lost (a crash, the database away). Cancelling it on an empty record would leave the money
/// booked with nobody told, so a payment that could have been written is looked for first.
/// </summary>
public class When_a_failed_payment_may_have_been_booked
{
    private static readonly PaymentToWrite Failed = Payment(failure: "R01: Insufficient funds");

    [Test]
    public void Should_look_in_the_integration_before_cancelling_a_payment_that_could_have_been_written()
    {
        var step = WritebackDecider.DecideWrite(Failed, null, Context(), Now);

        var look = (WriteStep.LookBeforeCancel)step;
        Assert.That(look.Plan.PrimaryConnection.Id, Is.EqualTo(Books));
    }

    [Test]
    public void Should_cancel_at_once_a_payment_that_could_not_have_been_written()
    {
        var context = Context() with { Invoices = new Dictionary<Guid, InvoiceFacts> { [First] = Invoice(First, Books, "1001") } };

        var step = (WriteStep.Record)WritebackDecider.DecideWrite(Failed, null, context, Now);

        Assert.That(step.Events.Cast<WritebackCancelled>().Single().Reason, Does.Contain("R01: Insufficient funds"));
    }

    [Test]
    public void Should_record_what_the_look_found_as_booked_so_that_it_is_reversed()
    {
        var look = (WriteStep.LookBeforeCancel)WritebackDecider.DecideWrite(Failed, null, Context(), Now);

        var events = WritebackDecider.RecordLook(Failed, null, look, Written("qbo-77"), null, Now);

        var booked = events.Cast<PaymentStatusWrittenBack>().Single();
        var record = WritebackRecord.From(events)!;
        Assert.Multiple(() =>
        {
            Assert.That((booked.ConnectionId, booked.ToSecondary), Is.EqualTo((Books, false)));
            Assert.That(record.ExternalPaymentIds, Is.EqualTo(new[] { "qbo-77" }));
            Assert.That(WritebackDecider.DecideReverse(record, false, Id, "pay_9", "tenant-a", PaymentReversalKind.Failed, Now),
                Is.TypeOf<ReverseStep.Reverse>(), "what was found is what the reversal reverts");
        });
    }

    [Test]
    public void Should_cancel_when_the_look_finds_nothing()
    {
        var look = (WriteStep.LookBeforeCancel)WritebackDecider.DecideWrite(Failed, null, Context(), Now);

        var events = WritebackDecider.RecordLook(Failed, null, look, null, null, Now);

        Assert.That(events.Single(), Is.TypeOf<WritebackCancelled>());
    }

    [Test]
    public void Should_record_each_half_of_a_paired_write_that_was_found()
    {
        var matches = new Dictionary<string, InvoiceMatch>
        {
            ["1001"] = new InvoiceMatch.Found("qb-1001", "qc-7"), ["1002"] = new InvoiceMatch.Found("qb-1002", "qc-7"),
        };
        var context = Context(connection: Psa, primary: ConnectWise(secondary: Books), secondary: QuickBooks(), matches: matches);
        var look = (WriteStep.LookBeforeCancel)WritebackDecider.DecideWrite(Failed, null, context, Now);

        var events = WritebackDecider.RecordLook(Failed, null, look, Written("cw-1/5"), Written("qbo-8"), Now);

        var record = WritebackRecord.From(events)!;
        Assert.Multiple(() =>
        {
            Assert.That(events.Cast<PaymentStatusWrittenBack>().Select(e => e.ToSecondary), Is.EqualTo(new[] { true, false }), "the secondary first, as a write");
            Assert.That((record.ExternalPaymentIds.Single(), record.SecondaryExternalPaymentIds.Single()), Is.EqualTo(("cw-1/5", "qbo-8")));
        });
    }

    [Test]
    public void Should_look_again_when_a_copy_of_the_write_comes_after_the_cancellation()
    {
        // The copy that cancelled looked before this copy's write committed (its answer timed out): this copy's retry finds
        // the stream cancelled, and looks instead of taking the cancellation's word for it.
        var cancelled = Record(new WritebackCancelled(Id, "pay_9", "tenant-a", "failed", Now));

        var step = WritebackDecider.DecideWrite(Payment(), cancelled, Context(), Now);

        var look = (WriteStep.LookBeforeCancel)step;
        Assert.Multiple(() =>
        {
            Assert.That(WritebackDecider.RecordLook(Payment(), cancelled, look, null, null, Now), Is.Empty, "nothing found: it stays cancelled");
            Assert.That(WritebackDecider.RecordLook(Payment(), cancelled, look, Written("qbo-77"), null, Now).Single(), Is.TypeOf<PaymentStatusWrittenBack>());
        });
    }

    [Test]
    public void Should_look_again_when_the_failure_comes_again_after_the_cancellation()
    {
        // The reconciliation, cancelled, sends the write again (carrying the failure) when the acceptance comes again: that
        // may be the retry of a write that booked after the cancellation's look and could not record its booking.
        var cancelled = Record(new WritebackCancelled(Id, "pay_9", "tenant-a", "failed", Now));

        var look = (WriteStep.LookBeforeCancel)WritebackDecider.DecideWrite(Failed, cancelled, Context(), Now);

        Assert.Multiple(() =>
        {
            Assert.That(WritebackDecider.RecordLook(Failed, cancelled, look, null, null, Now), Is.Empty, "nothing found: it stays cancelled");
            Assert.That(WritebackDecider.RecordLook(Failed, cancelled, look, Written("qbo-78"), null, Now).Single(), Is.TypeOf<PaymentStatusWrittenBack>(),
                "found: recorded after the cancellation, so the reconciliation reverts it");
        });
    }

    [Test]
    public void Should_look_again_after_a_cancellation_that_superseded_a_persons_attention()
    {
        // The write needed a person; the platform's failure then cancelled it: the person's attention is no longer what
        // holds the write back, and a later copy looks as any copy after a cancellation does.
        var cancelled = Record(new WritebackNeedsAttention(Id, "pay_9", "tenant-a", Books, "writeback-failed", "refused", Now),
            new WritebackCancelled(Id, "pay_9", "tenant-a", "failed", Now));
        var waiting = Record(new WritebackNeedsAttention(Id, "pay_9", "tenant-a", Books, "writeback-failed", "refused", Now));

        Assert.Multiple(() =>
        {
            Assert.That(WritebackDecider.DecideWrite(Failed, cancelled, Context(), Now), Is.TypeOf<WriteStep.LookBeforeCancel>());
            Assert.That(WritebackDecider.DecideWrite(Failed, waiting, Context(), Now), Is.TypeOf<WriteStep.AlreadyDone>(),
                "not cancelled yet: the person still holds it");
        });
    }

    [Test]
    public void Should_repeat_nothing_when_a_failed_payment_that_could_not_be_written_comes_again_after_the_cancellation()
    {
        var cancelled = Record(new WritebackCancelled(Id, "pay_9", "tenant-a", "failed", Now));

        var context = Context() with { Invoices = new Dictionary<Guid, InvoiceFacts> { [First] = Invoice(First, Books, "1001") } };

        Assert.That(WritebackDecider.DecideWrite(Failed, cancelled, context, Now), Is.TypeOf<WriteStep.AlreadyDone>());
    }
}
