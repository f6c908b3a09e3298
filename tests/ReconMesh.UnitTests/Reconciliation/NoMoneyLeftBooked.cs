using MassTransit;
using ReconMesh.Contracts.Payments;
using static ReconMesh.UnitTests.Reconciliation.Happenings;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>
/// A payment the platform takes back never stays booked: whatever state the saga is in when the failure arrives
/// (a person has it, a person dismissed it, a write stopped half-way), it asks for the reversal, and the reversal
/// decider reverts exactly what the writeback stream says was booked, or records the cancellation when nothing was
/// (WritebackDecider.DecideReverse, tested as a plain function in ReconMesh.DomainTests). These were the money risks the
/// first version of these specs found.
/// </summary>
[TestFixture]
public sealed class NoMoneyLeftBooked : ReconciliationHarness
{
    [Test]
    public async Task Should_reverse_what_a_half_written_paired_payment_booked_when_it_fails_while_a_person_has_it()
    {
        // The PSA took the payment, the accounting system refused it: NeedsAttention at the "write" stage with the PSA
        // holding the payment. Then the platform reports the payment failed.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), WrittenToPrimaryOnly(id), PaymentFailed(id), Reverted(id));
        Assert.That(Outcome.Story(story), Is.EqualTo(new[]
        {
            "PaymentAccepted → WritingBack + WritePaymentBack",
            "WritebackFailed → NeedsAttention",
            "PaymentFailureAccepted → Reversing + ReversePayment",
            "PaymentStatusReverted → Reversed",
        }));
        Assert.That(Instance(id)!.FailureReceived, Is.True);
    }

    [Test]
    public async Task Should_cancel_through_the_reversal_when_nothing_was_booked()
    {
        // A write that kept failing, then the failure: the reversal finds nothing booked and records the cancellation.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), KeptFailing(id), PaymentFailed(id), Cancellation(id));
        Assert.That(Outcome.Story(story)[2..], Is.EqualTo(new[]
        {
            "PaymentFailureAccepted → Reversing + ReversePayment",
            "WritebackFailed → Cancelled",
        }));
    }

    [Test]
    public async Task Should_reverse_a_paired_write_half_written_as_the_failure_arrives()
    {
        // The failure reaches the saga while the write is in progress; the write then records the PSA half and the
        // attention: not a cancellation, so the saga asks for the reversal of what was booked.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), PaymentFailed(id), WrittenToPrimaryOnly(id));
        Assert.That(story[^1].ToString(), Is.EqualTo("WritebackFailed → Reversing + ReversePayment"));
    }

    [Test]
    public async Task Should_reverse_a_booking_recorded_after_the_cancellation()
    {
        // A copy of the write was already booking when another copy, carrying the failure, recorded the cancellation:
        // the booking is recorded after it (WritebackDecider.RecordAfterRace), and the saga reverses it.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), PaymentFailed(id), Cancellation(id), WrittenBack(id), Reverted(id));
        Assert.That(Outcome.Story(story)[2..], Is.EqualTo(new[]
        {
            "WritebackFailed → Cancelled",
            "PaymentStatusWrittenBack → Reversing + ReversePayment",
            "PaymentStatusReverted → Reversed",
        }));
    }

    [Test]
    public async Task Should_look_again_and_reverse_a_booking_whose_record_was_lost_after_the_cancellation()
    {
        // A write needed a person; the failure cancelled it (the look found nothing). A copy of the write already under way
        // booked it afterwards and could not record that (the store away): its retry brings the acceptance again, the write
        // is sent again carrying the failure and looks; what it finds is recorded and reverted, superseding the attention
        // the cancellation ended (WritebackDecider.DecideReverse would otherwise leave a record awaiting a person alone).
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), KeptFailing(id), PaymentFailed(id), Cancellation(id), Accepted(id), WrittenBack(id),
            Reverted(id));
        Assert.Multiple(() =>
        {
            Assert.That(Outcome.Story(story)[3..], Is.EqualTo(new[]
            {
                "WritebackFailed → Cancelled",
                "PaymentAccepted → Cancelled + WritePaymentBack",
                "PaymentStatusWrittenBack → Reversing + ReversePayment",
                "PaymentStatusReverted → Reversed",
            }));
            Assert.That(Published<WritebackService.Reconciliation.WritePaymentBack>(id).Last().FailureReason, Is.Not.Null,
                "the write carries the failure, so it looks instead of writing");
            Assert.That(Published<WritebackService.Reconciliation.ReversePayment>(id).Last().SupersedesAttention, Is.True);
        });
    }

    [Test]
    public async Task Should_still_cancel_at_once_when_the_write_recorded_the_cancellation()
    {
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), PaymentFailed(id), Cancellation(id));
        Assert.Multiple(() =>
        {
            Assert.That(story[^1].ToString(), Is.EqualTo("WritebackFailed → Cancelled"));
            Assert.That(Published<WritebackService.Reconciliation.ReversePayment>(id), Is.Empty);
        });
    }

    [Test]
    public async Task Should_reverse_what_the_mesh_booked_before_a_person_dismissed_the_payment()
    {
        // A person dismissed the PSA-half attention (say, to book the accounting half by hand). The dismissal does not
        // undo what the mesh booked: when the platform takes the money back, the reversal reverts it.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), WrittenToPrimaryOnly(id), Dismiss(id), PaymentFailed(id));
        Assert.Multiple(() =>
        {
            Assert.That(story[^1].ToString(), Is.EqualTo("PaymentFailureAccepted → Reversing + ReversePayment"));
            Assert.That(story[^1].After.FailureReceived, Is.True);
        });
    }

    [Test]
    public async Task Should_apply_and_then_reverse_a_payment_written_while_the_saga_waited()
    {
        // Two write commands in flight (a duplicate acceptance): the first found the invoice missing, the second wrote.
        // The saga takes the write for what it is; the platform's failure then reverses it.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), Accepted(id), Missing(id), WrittenBack(id, "qbo-1"), PaymentFailed(id));
        Assert.That(Outcome.Story(story)[2..], Is.EqualTo(new[]
        {
            "WritebackAwaitingInvoices → WaitingForInvoice",
            "PaymentStatusWrittenBack → Applied",
            "PaymentFailureAccepted → Reversing + ReversePayment",
        }));
    }

    [Test]
    public async Task Should_ask_a_person_about_a_second_booking_found_after_the_payment_was_applied()
    {
        // Two copies of the write booked the payment under different ids (WritebackDecider.RecordAfterRace): the first is
        // recorded and applied, the second is in the books unseen until a person voids it.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), Make(Happening.PaymentStatusWrittenBack, id), BookedTwice(id),
            Make(Happening.ExceptionRetryRequested, id));
        Assert.That(Outcome.Story(story)[2..], Is.EqualTo(new[]
        {
            "WritebackFailed → NeedsAttention",
            // The person voided the second booking: the payment is applied again, not written a third time.
            "ExceptionRetryRequested → Applied",
        }));
    }

    [Test]
    public async Task Should_ask_a_person_about_a_second_booking_found_after_the_reversal()
    {
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), Make(Happening.PaymentStatusWrittenBack, id), PaymentFailed(id), Reverted(id), BookedTwice(id),
            Make(Happening.ExceptionRetryRequested, id));
        Assert.That(Outcome.Story(story)[4..], Is.EqualTo(new[]
        {
            "WritebackFailed → NeedsAttention",
            "ExceptionRetryRequested → Reversed",
        }));
    }

    private static WritebackFailed BookedTwice(Guid id) =>
        WritebackFailed(id, ReconMesh.Domain.Writeback.WritebackDecider.BookedTwiceCode, "booked twice: qbo-1 and qbo-2");
}
