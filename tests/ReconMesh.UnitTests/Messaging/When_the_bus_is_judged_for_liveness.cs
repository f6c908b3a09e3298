using ReconMesh.ServiceDefaults.Messaging.Liveness;

namespace ReconMesh.UnitTests.Messaging;

/// <summary>
/// <see cref="BusLiveness"/>: a process calls itself not live only when its bus has stayed short of healthy for longer
/// than the limit while the broker accepts connections (the client stranded an endpoint and will not heal); a broker
/// that is away, or a bus still within the limit, is no reason for a restart.
/// </summary>
[TestFixture]
public sealed class When_the_bus_is_judged_for_liveness
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Test]
    public void Should_be_healthy_whenever_the_bus_is() =>
        Assert.That(BusLiveness.Judge(healthy: true, TimeSpan.FromHours(1), Limit, brokerAnswers: null), Is.EqualTo(BusVerdict.Healthy));

    [Test]
    public void Should_leave_a_bus_within_the_limit_to_recover_without_asking_the_broker()
    {
        var since = TimeSpan.FromSeconds(89);
        Assert.Multiple(() =>
        {
            Assert.That(BusLiveness.NeedsBrokerAnswer(healthy: false, since, Limit), Is.False, "no extra connection while the client may still reconnect");
            Assert.That(BusLiveness.Judge(healthy: false, since, Limit, brokerAnswers: null), Is.EqualTo(BusVerdict.Recovering));
        });
    }

    [Test]
    public void Should_call_a_bus_past_the_limit_stuck_when_the_broker_answers()
    {
        var since = TimeSpan.FromSeconds(91);
        Assert.Multiple(() =>
        {
            Assert.That(BusLiveness.NeedsBrokerAnswer(healthy: false, since, Limit), Is.True);
            Assert.That(BusLiveness.Judge(healthy: false, since, Limit, brokerAnswers: true), Is.EqualTo(BusVerdict.Stuck));
        });
    }

    [Test]
    public void Should_not_restart_a_process_for_a_broker_that_is_away()
    {
        var since = TimeSpan.FromMinutes(30);
        Assert.Multiple(() =>
        {
            Assert.That(BusLiveness.Judge(healthy: false, since, Limit, brokerAnswers: false), Is.EqualTo(BusVerdict.BrokerAway));
            Assert.That(BusLiveness.Judge(healthy: false, since, Limit, brokerAnswers: null), Is.EqualTo(BusVerdict.BrokerAway),
                "not asked counts as not answering: never a restart on a guess");
        });
    }

    [Test]
    public void Should_give_the_client_the_whole_limit_again_once_the_broker_was_away()
    {
        var then = new DateTimeOffset(2026, 12, 6, 21, 0, 0, TimeSpan.Zero);
        var now = then.AddMinutes(10);
        Assert.Multiple(() =>
        {
            Assert.That(BusLiveness.CountFrom(then, now, healthy: false, brokerAnswers: false), Is.EqualTo(now),
                "a long outage must not end in a restart of every process as the broker returns");
            Assert.That(BusLiveness.CountFrom(then, now, healthy: false, brokerAnswers: true), Is.EqualTo(then), "stuck with the broker there: still counting");
            Assert.That(BusLiveness.CountFrom(then, now, healthy: false, brokerAnswers: null), Is.EqualTo(then), "not asked: still counting");
            Assert.That(BusLiveness.CountFrom(then, now, healthy: true, brokerAnswers: null), Is.EqualTo(now));
        });
    }
}
