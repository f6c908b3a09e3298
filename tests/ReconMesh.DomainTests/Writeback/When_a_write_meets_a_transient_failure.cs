using ReconMesh.Domain.Writeback;
using static ReconMesh.DomainTests.Writeback.WritebackFacts;

namespace ReconMesh.DomainTests.Writeback;

public class When_a_write_meets_a_transient_failure
{
    private static readonly TransientWaitPolicy Policy =
        new([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)], TimeSpan.FromHours(6));

    private static TransientFailure Throttled(int waits, TimeSpan since) =>
        new("throttled", "QuickBooks fault 3001: ThrottleExceeded", waits, Now - since);

    [TestCase(0, 5)]
    [TestCase(1, 30)]
    [TestCase(2, 120)]
    [TestCase(3, 600)]
    [TestCase(9, 600)]
    public void Should_wait_longer_each_time_up_to_the_last_tier(int waitsSoFar, int seconds)
    {
        var step = WritebackDecider.DecideWait(Id, "pay_9", "tenant-a", WritebackDecider.WriteStage, Throttled(waitsSoFar, TimeSpan.FromMinutes(1)), Policy, Now);

        Assert.That(step, Is.TypeOf<TransientStep.Wait>());
        Assert.That(((TransientStep.Wait)step).Delay, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase(0, 5)]
    [TestCase(1, 30)]
    [TestCase(2, 30)]
    [TestCase(9, 30)]
    public void Should_look_again_within_the_second_tier_for_a_payouts_payments_on_their_way(int waitsSoFar, int seconds)
    {
        var onTheirWay = new TransientFailure(WritebackDecider.PaymentsOnTheirWayCause, "pay_1 not written yet", waitsSoFar, Now.AddMinutes(-20));

        var step = WritebackDecider.DecideWait(Id, "po_1", "tenant-a", WritebackDecider.DepositStage, onTheirWay, Policy, Now);

        Assert.That(((TransientStep.Wait)step).Delay, Is.EqualTo(TimeSpan.FromSeconds(seconds)),
            "the mesh's own payments land within minutes: a payout is not left waiting ten minutes after them");
    }

    [Test]
    public void Should_record_the_cause_the_next_attempt_and_the_first_failure()
    {
        var wait = (TransientStep.Wait)WritebackDecider.DecideWait(Id, "pay_9", "tenant-a", WritebackDecider.ReverseStage, Throttled(1, TimeSpan.FromSeconds(40)), Policy,
            Now);

        Assert.That(wait.Event, Is.EqualTo(new WritebackWaiting(Id, "pay_9", "tenant-a", WritebackDecider.ReverseStage, "throttled",
            "QuickBooks fault 3001: ThrottleExceeded", 2, Now.AddSeconds(-40), Now.AddSeconds(30), Now)));
    }

    [Test]
    public void Should_give_up_once_the_horizon_has_passed_so_that_a_person_hears_of_it()
    {
        var step = WritebackDecider.DecideWait(Id, "pay_9", "tenant-a", WritebackDecider.WriteStage, Throttled(40, TimeSpan.FromHours(6)), Policy, Now);

        Assert.That(step, Is.TypeOf<TransientStep.GiveUp>());
        Assert.That(((TransientStep.GiveUp)step).Why, Does.Contain("throttled"));
    }

    [Test]
    public void Should_not_wait_when_no_tier_is_configured()
    {
        var step = WritebackDecider.DecideWait(Id, "pay_9", "tenant-a", WritebackDecider.WriteStage, Throttled(0, TimeSpan.Zero), Policy with { Tiers = [] }, Now);

        Assert.That(step, Is.TypeOf<TransientStep.GiveUp>());
    }

    [Test]
    public void Should_count_waits_in_the_record_without_settling_anything()
    {
        var waiting = new WritebackWaiting(Id, "pay_9", "tenant-a", WritebackDecider.WriteStage, "throttled", "429", 1, Now, Now.AddSeconds(5), Now);

        var record = WritebackRecord.From([waiting, waiting with { Wait = 2 }]);

        Assert.Multiple(() =>
        {
            Assert.That(record!.Version, Is.EqualTo(2), "a stream that starts with a wait is versioned from its first event");
            Assert.That(record.TransientWaits, Is.EqualTo(2));
            Assert.That(record is { Written: false, Cancelled: false, AwaitingPerson: false }, Is.True);
            Assert.That(WritebackDecider.DecideWrite(Payment(), record, Context(), Now), Is.TypeOf<WriteStep.Write>());
        });
    }
}
