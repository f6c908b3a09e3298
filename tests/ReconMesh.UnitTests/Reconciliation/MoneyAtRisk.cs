using MassTransit;
using static ReconMesh.UnitTests.Reconciliation.Happenings;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>
/// MONEY AT RISK: today's behaviour where a payment the platform reports failed can stay booked in an integration with
/// nothing reversing it and no person told. Each spec states what happens now, so that a change is a decision, not an
/// accident; each is listed in the report of issue #17 for the lead to decide on. None of them is a wish: they pass.
/// </summary>
[TestFixture]
public sealed class MoneyAtRisk : ReconciliationHarness
{
    [Test]
    public async Task RISK_a_paired_write_with_the_psa_half_written_is_cancelled_without_reversal_when_the_payment_fails()
    {
        // The PSA took the payment, the accounting system refused it: NeedsAttention at the "write" stage, although
        // the PSA holds the payment (PaymentWrittenToPrimaryOnly is not relayed, so the saga has no external ids).
        // The platform then reports the payment failed: Cancelled, no ReversePayment; the PSA keeps a payment that
        // failed, and the payment leaves the exceptions list.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), WrittenToPrimaryOnly(id), PaymentFailed(id));
        Assert.Multiple(() =>
        {
            Assert.That(Outcome.Story(story), Is.EqualTo(new[]
            {
                "PaymentAccepted → WritingBack + WritePaymentBack",
                "WritebackFailed → NeedsAttention",
                "PaymentFailureAccepted → Cancelled",
            }));
            Assert.That(story[1].After.ExternalIds, Is.Empty);
            Assert.That(Commands(id).Reversals, Is.Zero);
        });
    }

    [Test]
    public async Task RISK_a_paired_write_half_written_as_the_failure_arrives_is_cancelled_without_reversal()
    {
        // The failure reaches the saga while the write is in progress; the write then records the PSA half and the
        // attention. With the failure known, any WritebackFailed while WritingBack means Cancelled.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), PaymentFailed(id), WrittenToPrimaryOnly(id));
        Assert.Multiple(() =>
        {
            Assert.That(story[^1].ToString(), Is.EqualTo("WritebackFailed → Cancelled"));
            Assert.That(Commands(id).Reversals, Is.Zero);
        });
    }

    [Test]
    public async Task RISK_a_write_that_kept_failing_is_cancelled_without_a_look_when_the_payment_fails()
    {
        // "writeback-failed" (the fault consumer, after every retry) is raised at the "write" stage, yet a write that
        // timed out may have landed; its own reason says a retry "finds and records anything the integration already
        // holds". On the platform's failure the saga is Cancelled; nobody looks, nothing is reversed.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), KeptFailing(id), PaymentFailed(id));
        Assert.Multiple(() =>
        {
            Assert.That(story[^1].ToString(), Is.EqualTo("PaymentFailureAccepted → Cancelled"));
            Assert.That(Commands(id).Reversals, Is.Zero);
        });
    }

    [Test]
    public async Task RISK_a_dismissed_payment_that_then_fails_is_not_reversed()
    {
        // A person dismissed the PSA-half attention (for example, to book the accounting half by hand); the platform
        // then reports the payment failed: ignored. What the mesh wrote stays booked, and nobody is told.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), WrittenToPrimaryOnly(id), Dismiss(id), PaymentFailed(id));
        Assert.Multiple(() =>
        {
            Assert.That(story[^1].ToString(), Is.EqualTo("PaymentFailureAccepted → DismissedByPerson"));
            Assert.That(story[^1].After.FailureReceived, Is.False, "the failure is not even noted");
            Assert.That(Commands(id).Reversals, Is.Zero);
        });
    }

    [Test]
    public async Task RISK_a_payment_written_while_the_saga_waited_is_not_reversed_when_it_fails()
    {
        // The hole of OutOfOrderArrivals (a write after an earlier attempt's wait is ignored), followed by the
        // platform's failure: WritingBack only re-issues the write, which the write consumer skips (written); no
        // ReversePayment is ever asked for, the payment stays booked.
        var id = NewId.NextGuid();
        var story = await RunAsync(id, Accepted(id), Accepted(id), Missing(id), WrittenBack(id, "qbo-1"), Arrived(id), PaymentFailed(id));
        Assert.Multiple(() =>
        {
            Assert.That(story[^1].ToString(), Is.EqualTo("PaymentFailureAccepted → WritingBack + WritePaymentBack"));
            Assert.That(story[^1].After.FailureReceived, Is.True);
            Assert.That(Commands(id).Reversals, Is.Zero);
        });
    }
}
