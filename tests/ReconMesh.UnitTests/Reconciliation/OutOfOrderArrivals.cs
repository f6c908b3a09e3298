using MassTransit;
using static ReconMesh.UnitTests.Reconciliation.Happenings;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>
/// Events that overtake one another: the payment's stream and the writeback stream are relayed independently, two write
/// commands of one payment can be in flight at once (each re-issue publishes one), and the saga's endpoint takes messages
/// concurrently, so two of one payment can be handled in either order.
/// </summary>
[TestFixture]
public sealed class OutOfOrderArrivals : ReconciliationHarness
{
    [Test]
    public async Task A_failure_before_the_acceptance_waits_for_it_then_has_the_write_cancelled()
    {
        var id = NewId.NextGuid();
        var story = await RunAsync(id, PaymentFailed(id), Accepted(id), Cancellation(id));
        Assert.Multiple(() =>
        {
            Assert.That(Outcome.Story(story), Is.EqualTo(new[]
            {
                "PaymentFailureAccepted → FailedBeforeAcceptance",
                // The write consumer sees FailureReceived on the saga and records a cancellation instead of writing.
                "PaymentAccepted → WritingBack + WritePaymentBack",
                "WritebackFailed → Cancelled",
            }));
            Assert.That(story[1].After.FailureReceived, Is.True);
            Assert.That(Instance(id)!.Amount, Is.EqualTo(100m), "the acceptance's data is remembered");
        });
    }

    [Test]
    public async Task A_write_that_lands_after_the_failure_is_reversed()
    {
        // The write consumer had already written when the platform's failure arrived.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), PaymentFailed(id), WrittenBack(id, "qbo-1"), Reverted(id));
        Assert.Multiple(() =>
        {
            Assert.That(Outcome.Story(story), Is.EqualTo(new[]
            {
                "PaymentAccepted → WritingBack + WritePaymentBack",
                "PaymentFailureAccepted → WritingBack + WritePaymentBack",
                "PaymentStatusWrittenBack → Reversing + ReversePayment",
                "PaymentStatusReverted → Reversed",
            }));
            Assert.That(story[2].After.ExternalIds, Is.EqualTo("qbo-1"));
        });
    }

    [Test]
    public async Task A_failure_while_waiting_for_an_invoice_has_the_write_cancelled()
    {
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), Missing(id), PaymentFailed(id), Cancellation(id));
        Assert.That(Outcome.Story(story)[2..], Is.EqualTo(new[]
        {
            "PaymentFailureAccepted → WritingBack + WritePaymentBack",
            "WritebackFailed → Cancelled",
        }));
    }

    [Test]
    public async Task Invoices_arriving_for_a_payment_with_no_saga_are_discarded_and_the_payment_starts_normally()
    {
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Arrived(id), Accepted(id));
        Assert.That(Outcome.Story(story), Is.EqualTo(new[]
        {
            "AwaitedInvoicesSynced → (no saga)",
            "PaymentAccepted → WritingBack + WritePaymentBack",
        }));
    }

    [Test]
    public async Task A_write_handled_before_the_earlier_wait_is_applied_and_the_wait_ignored()
    {
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), WrittenBack(id, "qbo-1"), Missing(id));
        Assert.That(story[^1].ToString(), Is.EqualTo("WritebackAwaitingInvoices → Applied"));
    }

    [Test]
    public async Task Should_apply_a_write_that_lands_after_an_earlier_attempts_wait()
    {
        // Two write commands in flight (here from a duplicate acceptance): the first finds the invoice missing, the
        // invoice syncs, the second writes the payment. The saga takes the write: Applied, with what was written.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), Accepted(id), Missing(id), WrittenBack(id, "qbo-1"), Arrived(id));
        Assert.Multiple(() =>
        {
            Assert.That(Outcome.Story(story)[2..], Is.EqualTo(new[]
            {
                "WritebackAwaitingInvoices → WaitingForInvoice",
                "PaymentStatusWrittenBack → Applied",
                "AwaitedInvoicesSynced → Applied",
            }));
            Assert.That(Snapshot(id).ExternalIds, Is.EqualTo("qbo-1"));
        });
    }

    [Test]
    public async Task Should_cancel_when_the_cancellation_arrives_after_an_earlier_attempts_wait()
    {
        // The failure reaches the saga while it is WritingBack (it re-issues the write with the failure), then the first
        // attempt's wait arrives; the re-issued write is recorded as cancelled: Cancelled, not a person's work.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), PaymentFailed(id), Missing(id), Cancellation(id));
        Assert.That(Outcome.Story(story)[1..], Is.EqualTo(new[]
        {
            "PaymentFailureAccepted → WritingBack + WritePaymentBack",
            "WritebackAwaitingInvoices → WaitingForInvoice",
            "WritebackFailed → Cancelled",
        }));
    }

    [Test]
    public async Task A_retry_clears_the_wait_of_a_payment_whose_invoice_never_came()
    {
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), Missing(id), Refused(id), Retry(id));
        Assert.Multiple(() =>
        {
            Assert.That(story[2].After.WaitingSince, Is.Not.Null, "NeedsAttention keeps the wait's start");
            Assert.That(story[3].ToString(), Is.EqualTo("ExceptionRetryRequested → WritingBack + WritePaymentBack"));
            Assert.That(story[3].After.WaitingSince, Is.Null);
            Assert.That(story[3].After.WaitingFor, Is.EqualTo(Invoice(1).ToString()), "the invoice ids are kept");
        });
    }
}
