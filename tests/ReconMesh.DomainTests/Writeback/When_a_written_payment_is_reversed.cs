using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using PaymentStatusReverted = ReconMesh.Domain.Writeback.PaymentStatusReverted;
using static ReconMesh.DomainTests.Writeback.WritebackFacts;

namespace ReconMesh.DomainTests.Writeback;

public class When_a_written_payment_is_reversed
{
    [Test]
    public void Should_revert_nothing_that_was_not_written_or_is_already_reverted()
    {
        var reversed = new PaymentStatusReverted(Id, "pay_9", "tenant-a", Books, ["qb-1"], Now);

        Assert.Multiple(() =>
        {
            Assert.That(Decide(null), Is.TypeOf<ReverseStep.NothingToReverse>());
            Assert.That(Decide(Record(Attention())), Is.TypeOf<ReverseStep.NothingToReverse>());
            Assert.That(Decide(Record(WrittenBack(Books, false, "qb-1"), reversed)), Is.TypeOf<ReverseStep.NothingToReverse>());
        });
    }

    private static ReverseStep Decide(WritebackRecord? record, bool supersedesAttention = false) =>
        WritebackDecider.DecideReverse(record, supersedesAttention, Id, "pay_9", "tenant-a", PaymentReversalKind.Failed, Now);

    [Test]
    public void Should_revert_the_PSA_half_of_a_paired_write_that_stopped_half_way()
    {
        var halfWritten = Record(new PaymentWrittenToPrimaryOnly(Id, "tenant-a", Psa, ["cw-1"], Now), Attention("secondary-refused"));

        var reverse = (ReverseStep.Reverse)Decide(halfWritten, supersedesAttention: true);

        Assert.Multiple(() =>
        {
            Assert.That(reverse.Targets.Select(t => (t.ConnectionId, t.ExternalPaymentIds.Single(), t.ToSecondary)),
                Is.EqualTo(new[] { (Psa, "cw-1", false) }));
            Assert.That(Decide(halfWritten), Is.TypeOf<ReverseStep.NothingToReverse>(), "without the failure, the person has it");
        });
    }

    [Test]
    public void Should_look_for_a_booking_before_cancelling_a_failed_payment_that_a_person_had()
    {
        // A write that kept failing may have booked all the same (its answer lost): nothing recorded is not nothing booked.
        var look = (ReverseStep.LookFirst)Decide(Record(Attention("writeback-failed")), supersedesAttention: true);
        var cancelled = look.IfNothingFound.Cast<WritebackCancelled>().Single();

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.Reason, Does.Contain("nothing had been written"));
            Assert.That(Decide(Record(Attention(), cancelled)), Is.TypeOf<ReverseStep.NothingToReverse>(), "cancelled once");
            // An attention that reached the saga after the cancellation sends it back here: the cancellation (decided
            // after a look) is recorded again, and the saga returns to Cancelled instead of waiting in Reversing.
            Assert.That(Decide(Record(Attention(), cancelled), supersedesAttention: true), Is.TypeOf<ReverseStep.Record>(),
                "nothing booked, a superseding failure again");
            Assert.That(Decide(null, supersedesAttention: true), Is.TypeOf<ReverseStep.LookFirst>());
        });
    }

    [Test]
    public void Should_reverse_what_a_look_found_the_books_before_the_PSA()
    {
        var request = new PaymentWriteRequest(Id, "pay_9", "USD", new DateOnly(2026, 12, 1), [new InvoicePortion(First, "ext-1001", "cust-7", 100m)], 0m);
        var look = new WriteStep.LookBeforeCancel(new WriteStep.Write(ConnectWise(secondary: Books), request, QuickBooks(), request));
        var found = WritebackDecider.RecordLook(Payment(failure: "R01"), null, look, Written("cw-1"), Written("qbo-8"), Now);

        var reverse = WritebackDecider.ReverseFound(found);

        Assert.That(reverse.Targets.Select(t => (t.ConnectionId, t.ExternalPaymentIds.Single(), t.ToSecondary)),
            Is.EqualTo(new[] { (Books, "qbo-8", true), (Psa, "cw-1", false) }));
    }

    [Test]
    public void Should_revert_the_books_before_the_PSA()
    {
        var record = Record(WrittenBack(Books, toSecondary: true, "qb-1"), WrittenBack(Psa, false, "cw-1"));

        var reverse = (ReverseStep.Reverse)Decide(record);

        Assert.That(reverse.Targets.Select(t => (t.ConnectionId, t.ExternalPaymentIds.Single(), t.ToSecondary)),
            Is.EqualTo(new[] { (Books, "qb-1", true), (Psa, "cw-1", false) }));
    }

    [Test]
    public void Should_record_nothing_as_reverted_until_every_half_is()
    {
        var books = new ReversalTarget(Books, ["qb-1"], true);
        var psa = new ReversalTarget(Psa, ["cw-1"], false);

        var halfway = WritebackDecider.RecordReverse(Id, "pay_9", "tenant-a", PaymentReversalKind.Refunded,
            [(books, new WritebackOutcome.Reversed(["qb-1"])), (psa, WritebackDecider.ConnectionUnknownForReversal(Psa))], Now);
        var whole = WritebackDecider.RecordReverse(Id, "pay_9", "tenant-a", PaymentReversalKind.Refunded,
            [(books, new WritebackOutcome.Reversed(["qb-1"])), (psa, new WritebackOutcome.Reversed(["cw-1"], ["inv-r1"]))], Now);

        Assert.Multiple(() =>
        {
            Assert.That(halfway.Cast<WritebackNeedsAttention>().Single().ConnectionId, Is.EqualTo(Psa));
            Assert.That(whole.Cast<PaymentStatusReverted>().Select(r => (r.ToSecondary, r.Kind)),
                Is.EqualTo(new[] { (true, PaymentReversalKind.Refunded), (false, PaymentReversalKind.Refunded) }));
            var record = Record(WrittenBack(Books, true, "qb-1"), WrittenBack(Psa, false, "cw-1"));
            Assert.That(whole.Aggregate(record, (r, e) => WritebackRecord.Evolve(r, r.Id, e)!).ReinstatementInvoiceIds, Is.EqualTo(new[] { "inv-r1" }));
        });
    }

    [Test]
    public void Should_ask_a_person_when_retries_ran_out_unless_it_is_done_or_a_person_has_it()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WritebackDecider.RecordFault(null, false, Id, "pay_9", "tenant-a", "HttpRequestException", "503", Now)
                .Cast<WritebackNeedsAttention>().Single().ReasonCode, Is.EqualTo(WritebackDecider.WritebackFailedCode));
            Assert.That(WritebackDecider.RecordFault(Record(WrittenBack(Books)), false, Id, "pay_9", "tenant-a", "x", "y", Now), Is.Empty);
            Assert.That(WritebackDecider.RecordFault(Record(WrittenBack(Books)), true, Id, "pay_9", "tenant-a", "x", "y", Now), Has.Count.EqualTo(1));
            Assert.That(WritebackDecider.RecordFault(Record(Attention()), true, Id, "pay_9", "tenant-a", "x", "y", Now), Is.Empty);
            Assert.That(WritebackDecider.RecordFault(Record(Attention()), true, Id, "pay_9", "tenant-a", "x", "y", Now, supersedesAttention: true),
                Has.Count.EqualTo(1), "a reversal that overrode the person's wait must not leave the saga reversing for ever");
        });
    }

    [Test]
    public void Should_count_every_event_in_the_record_s_version()
    {
        var record = Record(Attention(), new ExceptionRetryRequested(Id, "tenant-a", "ops", Now), WrittenBack(Books, false, "qb-1"));

        Assert.That((record.Version, record.Written, record.AwaitingPerson), Is.EqualTo((3L, true, false)));
    }

    [Test]
    public void Should_revert_a_booking_recorded_after_the_payment_was_cancelled()
    {
        // A copy of the write was under way when another copy, carrying the platform's failure, cancelled the payment:
        // its booking is recorded after the cancellation, and it is what the reversal reverts.
        var cancelled = new WritebackCancelled(Id, "pay_9", "tenant-a", "failed before it was written", Now);
        var record = Record(cancelled, WrittenBack(Books, false, "qb-1"));

        var reverse = (ReverseStep.Reverse)Decide(record);

        Assert.Multiple(() =>
        {
            Assert.That(record!.Cancelled, Is.False, "booked after all");
            Assert.That(reverse.Targets.Select(t => (t.ConnectionId, t.ExternalPaymentIds.Single())), Is.EqualTo(new[] { (Books, "qb-1") }));
        });
    }
}
