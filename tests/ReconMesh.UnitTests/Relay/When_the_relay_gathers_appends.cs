using JasperFx.Events;
using JasperFx.Events.Daemon.HighWater;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.EventSourcing.Store;

namespace ReconMesh.UnitTests.Relay;

/// <summary>
/// A relay off the payments' way to the books gathers appends (<see cref="GatheringWakeup"/>): woken, it waits its
/// gather before the store is read, so the appends of those moments go in one page; never past the timeout the daemon
/// gave it, so a wait that timed out is not made longer; with no gather it is the store's wake-up as it is. Each service
/// sets its gather, and the operator's <c>ReconMesh:Relay:Gather</c> overrides it within bounds.
/// </summary>
[TestFixture]
public sealed class When_the_relay_gathers_appends
{
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    [Test]
    [CancelAfter(10_000)]
    public async Task Woken_by_an_append_it_waits_the_gather_before_the_store_is_read(CancellationToken token)
    {
        var time = new SteppedTime();
        await new GatheringWakeup(new Woken(time, after: TimeSpan.FromMilliseconds(10)), Gather, time).WaitAsync(Timeout, token);

        Assert.That(time.Timers, Is.EqualTo(new[] { Gather }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task It_never_waits_past_the_daemons_timeout(CancellationToken token)
    {
        var time = new SteppedTime();
        await new GatheringWakeup(new Woken(time, after: TimeSpan.FromMilliseconds(950)), Gather, time).WaitAsync(Timeout, token);

        Assert.That(time.Timers, Is.EqualTo(new[] { TimeSpan.FromMilliseconds(50) }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_wait_that_timed_out_returns_at_once(CancellationToken token)
    {
        var time = new SteppedTime();
        await new GatheringWakeup(new Woken(time, after: Timeout), Gather, time).WaitAsync(Timeout, token);

        Assert.That(time.Timers, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Without_a_gather_it_is_the_stores_wakeup_as_it_is(CancellationToken token)
    {
        var time = new SteppedTime();
        var inner = new Woken(time, after: TimeSpan.FromMilliseconds(10));
        var wakeup = new GatheringWakeup(inner, TimeSpan.Zero, time);
        await wakeup.WaitAsync(Timeout, token);
        wakeup.Dispose();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(time.Timers, Is.Empty);
            Assert.That(inner.Timeouts, Is.EqualTo(new[] { Timeout }));
            Assert.That(inner.Disposed, Is.True);
        }
    }

    [TestCase(null, 100)]
    [TestCase("00:00:00", 0)]
    [TestCase("00:00:00.250", 250)]
    public void The_services_gather_stands_unless_the_operator_sets_one(string? configured, int expectedMilliseconds)
    {
        using var services = Relay(configured);

        Assert.That(services.GetRequiredService<IOptions<RelayPaceOptions>>().Value.Gather, Is.EqualTo(TimeSpan.FromMilliseconds(expectedMilliseconds)));
    }

    [TestCase("00:00:01.001")]
    [TestCase("-00:00:00.001")]
    public void A_gather_out_of_bounds_is_refused_with_its_setting_named(string configured)
    {
        using var services = Relay(configured);

        Assert.That(() => services.GetRequiredService<IOptions<RelayPaceOptions>>().Value,
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("ReconMesh:Relay:Gather"));
    }

    private static ServiceProvider Relay(string? gather)
    {
        var settings = new Dictionary<string, string?>();
        if (gather is not null)
        {
            settings["ReconMesh:Relay:Gather"] = gather;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddMarten(o => o.Connection("Host=127.0.0.1;Database=unused;Username=unused;Password=unused")).AddEventRelay<NoMessages>(Gather);
        return services.BuildServiceProvider();
    }

    private sealed class NoMessages : IEventMessageMap
    {
        public object? ToMessage(IEvent stored) => null;
    }

    /// <summary>The store's wake-up, returning once <c>after</c> has passed on the test's clock.</summary>
    private sealed class Woken(SteppedTime time, TimeSpan after) : IDaemonWakeup
    {
        public List<TimeSpan> Timeouts { get; } = [];

        public bool Disposed { get; private set; }

        public Task WaitAsync(TimeSpan timeout, CancellationToken token)
        {
            Timeouts.Add(timeout);
            time.Advance(after);
            return Task.CompletedTask;
        }

        public void Dispose() => Disposed = true;
    }

    /// <summary>A clock that moves only when told; every timer is noted and fires at once.</summary>
    private sealed class SteppedTime : TimeProvider
    {
        private long _ticks;
        private readonly List<TimeSpan> _timers = [];

        public IReadOnlyList<TimeSpan> Timers
        {
            get
            {
                lock (_timers)
                {
                    return [.. _timers];
                }
            }
        }

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_timers)
            {
                _timers.Add(dueTime);
            }

            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new Fired();
        }

        private sealed class Fired : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
