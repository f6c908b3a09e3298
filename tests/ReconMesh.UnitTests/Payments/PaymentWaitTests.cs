using Microsoft.Extensions.Configuration;
using ReconMesh.PaymentEvents.Payments;

namespace ReconMesh.UnitTests.Payments;

public class PaymentWaitTests
{
    [Test]
    public void Should_wait_about_half_a_minute_by_default_at_growing_intervals()
    {
        var wait = PaymentWait.From(new ConfigurationBuilder().Build());

        Assert.That(wait.Intervals.Select(i => i.TotalMilliseconds), Is.EqualTo(new[] { 250d, 500, 1000, 2000, 4000, 8000, 15000 }));
    }

    [Test]
    public void Should_wait_as_long_as_configured_and_reject_once_the_wait_is_over()
    {
        var wait = PaymentWait.From(new ConfigurationBuilder().AddInMemoryCollection([new(PaymentWait.Setting, "00:02:00")]).Build());

        Assert.Multiple(() =>
        {
            Assert.That(wait.Intervals.Sum(i => i.TotalSeconds), Is.GreaterThanOrEqualTo(120));
            Assert.That(wait.Intervals.Max(), Is.EqualTo(TimeSpan.FromSeconds(15)));
            Assert.That(wait.For(wait.Intervals.Count - 1), Is.EqualTo(PaymentIntake.UnknownPayment.Wait));
            Assert.That(wait.For(wait.Intervals.Count), Is.EqualTo(PaymentIntake.UnknownPayment.Reject));
        });
    }

    [TestCase("soon")]
    [TestCase("-00:00:05")]
    public void Should_refuse_a_setting_that_is_not_a_positive_duration(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(PaymentWait.Setting, value)]).Build();

        Assert.That(() => PaymentWait.From(configuration), Throws.InvalidOperationException.With.Message.Contains(PaymentWait.Setting));
    }
}
