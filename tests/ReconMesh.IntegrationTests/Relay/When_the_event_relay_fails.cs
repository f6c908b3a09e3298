using System.Net;
using JasperFx;
using JasperFx.Events.Daemon;
using ReconMesh.EventSourcing.Relay.Health;
using ReconMesh.IntegrationTests.Infrastructure;

namespace ReconMesh.IntegrationTests.Relay;

/// <summary>
/// The event relay is the only way a service's events reach the bus. While it cannot publish, readiness says so and the
/// gauges show it; once the cause is gone it resumes by itself, and the events that waited reach the consumer.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class When_the_event_relay_fails
{
    private const string Paused = "reconmesh_relay_paused";
    private const string Lag = "reconmesh_relay_lag";
    private const string Position = "reconmesh_relay_position";

    [Test]
    public async Task Should_report_a_paused_relay_and_resume_it_when_publishing_works_again()
    {
        await using var probe = await RelayProbe.StartAsync();
        await FailThenRecoverAsync(probe, () => new InvalidOperationException("the map cannot publish this yet"), AgentStatus.Paused);
    }

    /// <summary>
    /// A relay stopped by a failure (not paused) stays in the daemon as Stopped, and Marten's coordinator restarts only
    /// paused or missing agents: before the watcher, nothing left the service again until a restart.
    /// </summary>
    [Test]
    public async Task Should_restart_a_relay_that_a_failure_left_stopped()
    {
        await using var probe = await RelayProbe.StartAsync();
        await FailThenRecoverAsync(probe, () => new ProgressionProgressOutOfOrderException("event-relay:All", 1, 2), AgentStatus.Stopped);
    }

    /// <summary>
    /// A relay that runs but does not move while events wait (here its publish hangs) is not ready once it has stood
    /// still for StallAfter, although its agent reports Running, and the watcher restarts it (and the high-water
    /// detection); it moves on once the publish returns.
    /// </summary>
    [Test]
    public async Task Should_report_a_relay_that_stands_still_while_events_wait()
    {
        await using var probe = await RelayProbe.StartAsync();
        await RelaysAsync(probe);

        probe.Fault.Hold();
        Guid[] waiting;
        try
        {
            waiting = [await probe.AppendAsync(), await probe.AppendAsync()];
            await Eventually.Until(probe.ReadinessAsync, s => s == HttpStatusCode.ServiceUnavailable, "readiness to fail while the relay stands still");
            Assert.That(probe.Monitor.Latest, Is.Not.Null.And.Property(nameof(RelayReading.Lag)).GreaterThan(0), "the events that wait");
            var before = probe.Monitor.Restarts;
            await Eventually.Until(() => Task.FromResult(probe.Monitor.Restarts), n => n > before, "the watcher to restart the stalled relay");
        }
        finally
        {
            probe.Fault.Release();
        }

        await probe.ReceivedAsync(waiting, "the events that waited to reach the consumer");
        await HealthyAsync(probe);
    }

    /// <summary>
    /// A database failover ends every connection, among them the one the daemon listens on for appends and the one that
    /// holds its leadership lock: events appended afterwards still reach the bus.
    /// </summary>
    [Test]
    public async Task Should_relay_events_appended_after_the_database_dropped_every_connection()
    {
        await using var probe = await RelayProbe.StartAsync();
        await RelaysAsync(probe);

        Assert.That(await probe.TerminateDatabaseConnectionsAsync(), Is.GreaterThan(0), "the service's connections");
        var after = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            after.Add(await AppendRetryingAsync(probe));
        }

        await probe.ReceivedAsync(after, "the events appended after the connections dropped to reach the consumer");
        await HealthyAsync(probe);
    }

    /// <summary>
    /// The database refuses connections for as long as the watcher takes to fail 25 looks in a row (5 s at its test pace,
    /// longer than the daemon's leadership and high-water polls): the listener's wake-up is lost, the leadership lock's
    /// connection dies, reconnects fail. Events appended once it is back still reach the bus.
    /// </summary>
    [Test]
    public async Task Should_relay_events_appended_after_a_database_outage()
    {
        await using var probe = await RelayProbe.StartAsync();
        await RelaysAsync(probe);

        try
        {
            await probe.TerminateDatabaseConnectionsAsync(refuseNew: true);
            await Eventually.Until(probe.ReadinessAsync, s => s == HttpStatusCode.ServiceUnavailable, "readiness to fail while the database is away");
            await Eventually.Until(() => Task.FromResult(probe.Monitor.FailedReads), n => n >= 25, "the watcher to fail 25 looks in a row");
        }
        finally
        {
            await probe.EndOutageAsync();
        }

        var after = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            after.Add(await AppendRetryingAsync(probe));
        }

        await probe.ReceivedAsync(after, "the events appended after the outage to reach the consumer");
        await HealthyAsync(probe);
    }

    /// <summary>
    /// Breaks the relay's map with <paramref name="fault"/> while three events are appended; checks that the watcher sees
    /// the relay <paramref name="broken"/>, readiness fails and the gauges show it; then mends the map and checks that the
    /// waiting events reach the consumer and the relay is healthy again.
    /// </summary>
    private static async Task FailThenRecoverAsync(RelayProbe probe, Func<Exception> fault, AgentStatus broken)
    {
        await RelaysAsync(probe);

        probe.Fault.Set(fault);
        var waiting = new[] { await probe.AppendAsync(), await probe.AppendAsync(), await probe.AppendAsync() };
        await Eventually.Until(() => Task.FromResult(probe.Monitor.Latest), r => r is { Holds: true } && r.Status == broken,
            $"the watcher to see the relay {broken} on the node that holds it");
        await Eventually.Until(probe.ReadinessAsync, s => s == HttpStatusCode.ServiceUnavailable, "readiness to fail while the relay cannot publish");
        await Eventually.Until(() => probe.GaugeAsync(Paused), v => v == 1, $"{Paused} to show the relay that does not run");
        Assert.That(await probe.GaugeAsync(Lag), Is.GreaterThan(0), "the events that wait");

        probe.Fault.Set(null);
        await probe.ReceivedAsync(waiting, "the events that waited to reach the consumer");
        await HealthyAsync(probe);
    }

    private static async Task RelaysAsync(RelayProbe probe)
    {
        await probe.ReceivedAsync([await probe.AppendAsync()], "the relay to publish a first event");
        await HealthyAsync(probe);
    }

    private static async Task HealthyAsync(RelayProbe probe)
    {
        await Eventually.Until(probe.ReadinessAsync, s => s == HttpStatusCode.OK, "readiness to pass");
        await Eventually.Until(() => probe.GaugeAsync(Paused), v => v == 0, $"{Paused} to be 0");
        // A reading from before the first append shows lag 0 at position 0: wait for one that saw the relay move.
        await Eventually.Until(() => probe.GaugeAsync(Position), v => v > 0, $"{Position} to show what was relayed");
        await Eventually.Until(() => probe.GaugeAsync(Lag), v => v == 0, $"{Lag} to be 0");
    }

    /// <summary>The first appends after the connections dropped may meet pooled connections that are already dead.</summary>
    private static Task<Guid> AppendRetryingAsync(RelayProbe probe) =>
        Eventually.Until(async () =>
        {
            try
            {
                return await probe.AppendAsync();
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException || ex.InnerException is Npgsql.NpgsqlException)
            {
                return Guid.Empty;
            }
        }, id => id != Guid.Empty, "an append to succeed after the connections dropped");
}
