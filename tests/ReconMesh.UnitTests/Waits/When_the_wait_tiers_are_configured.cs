using ReconMesh.WritebackService.Waits;

namespace ReconMesh.UnitTests.Waits;

public class When_the_wait_tiers_are_configured
{
    [Test]
    public void Should_default_to_tiers_from_seconds_to_minutes_and_a_horizon_of_hours()
    {
        var options = new TransientWaitOptions();

        Assert.That(options.Tiers(), Is.EqualTo(new[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10) }));
        Assert.That(options.Policy().Horizon, Is.EqualTo(TimeSpan.FromHours(6)));
    }

    [TestCase("00:00:01, 00:00:02", 2)]
    [TestCase("00:00:05,soon", 0)]
    [TestCase("00:00:00", 0)]
    [TestCase("2.00:00:00", 0)]
    public void Should_read_every_tier_or_none(string tiers, int count) =>
        Assert.That(new TransientWaitOptions { TransientWaitTiers = tiers }.Tiers(), Has.Count.EqualTo(count));

    [TestCase(5_000, "writeback.write-payment.wait-5s")]
    [TestCase(120_000, "writeback.write-payment.wait-2m")]
    [TestCase(1_500, "writeback.write-payment.wait-1500ms")]
    [TestCase(7_200_000, "writeback.write-payment.wait-2h")]
    public void Should_name_each_wait_queue_for_its_endpoint_and_wait(int milliseconds, string name) =>
        Assert.That(WaitQueues.Name("writeback.write-payment", TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(name));
}
