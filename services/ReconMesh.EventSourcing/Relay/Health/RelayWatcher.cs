using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MartenCoordinator = Marten.Events.Daemon.Coordination.IProjectionCoordinator;

namespace ReconMesh.EventSourcing.Relay.Health;

/// <summary>
/// Every <see cref="RelayHealthOptions.PollInterval"/>, reads the event relay's status (on the node that holds the
/// daemon's leadership lock for it), its committed position and the store's head into <see cref="RelayMonitor"/>; and
/// on that node restarts a relay that is paused, stopped or stalled, after a back-off that doubles up to
/// <see cref="RelayHealthOptions.MaxRestartDelay"/>. Marten's coordinator restarts a paused agent itself; this also
/// covers an agent left stopped and a relay that stands still while events wait (e.g. its high-water detection stalled),
/// and makes each attempt visible.
/// </summary>
internal sealed partial class RelayWatcher(
    IDocumentStore store, MartenCoordinator coordinator, RelayMonitor monitor, IOptions<RelayHealthOptions> options,
    ILogger<RelayWatcher> logger) : BackgroundService
{
    public const string ShardIdentity = EventRelay.RelayName + ":All";

    private static readonly TimeSpan RestartTimeout = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _clock = TimeProvider.System;
    private int _attempts;
    private DateTimeOffset? _nextAttempt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, _clock);
        try
        {
            do
            {
                try
                {
                    await WatchOnceAsync(stoppingToken);
                }
#pragma warning disable CA1031 // a failed look (the database away) must not end the watch: the next tick looks again
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    monitor.ReadFailed();
                    LogReadFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WatchOnceAsync(CancellationToken cancellationToken)
    {
        var daemon = await DaemonIfHeldAsync();
        var agent = daemon?.CurrentAgents().FirstOrDefault(a => a.Name.Identity == ShardIdentity);
        var (position, head) = await ReadPositionAndHeadAsync(cancellationToken);
        var now = _clock.GetUtcNow();
        var previous = monitor.Latest;
        var moved = previous is null || previous.Position != position || previous.Lag == 0;
        var reading = new RelayReading(daemon is not null, agent?.Status ?? AgentStatus.Stopped, position, head,
            moved ? now : previous!.StillSince, now);
        monitor.Latest = reading;
        monitor.ReadSucceeded();

        var stalled = reading.StalledFor(options.Value.StallAfter);
        if (daemon is null || !(reading.Down || stalled))
        {
            if (_attempts > 0)
            {
                LogResumed(logger, reading.Position, _attempts);
            }

            _attempts = 0;
            _nextAttempt = null;
            return;
        }

        _nextAttempt ??= now + options.Value.FirstRestartDelay;
        if (now >= _nextAttempt)
        {
            await RestartAsync(daemon, agent is not null, stalled, reading, cancellationToken);
        }
    }

    private async Task RestartAsync(IProjectionDaemon daemon, bool hasAgent, bool stalled, RelayReading reading, CancellationToken cancellationToken)
    {
        _attempts++;
        var delay = TimeSpan.FromTicks(Math.Min(options.Value.MaxRestartDelay.Ticks,
            options.Value.FirstRestartDelay.Ticks * (1L << Math.Min(_attempts, 20))));
        _nextAttempt = _clock.GetUtcNow() + delay;
        monitor.Restarting();
        LogRestarting(logger, _attempts, reading.Status, stalled, reading.Position, reading.Lag, delay);
        try
        {
            // Bounded: a relay wedged inside a publish may not drain, and the watch must go on reporting meanwhile.
            await RestartAgentAsync(daemon, hasAgent, stalled, cancellationToken).WaitAsync(RestartTimeout, cancellationToken);
        }
#pragma warning disable CA1031 // a failed restart is logged and tried again after the next back-off
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogRestartFailed(logger, ex, _attempts);
        }
    }

    private static async Task RestartAgentAsync(IProjectionDaemon daemon, bool hasAgent, bool stalled, CancellationToken cancellationToken)
    {
        if (stalled)
        {
            // A relay that stands still while events wait may be starved by a stalled high-water detection (the
            // listen/notify wake-up lost with its connection): restart that as well.
            await daemon.RestartHighWaterAgentAsync(cancellationToken);
        }

        if (hasAgent)
        {
            await daemon.StopAgentAsync(ShardIdentity);
        }

        await daemon.StartAgentAsync(ShardIdentity, cancellationToken);
    }

    /// <summary>
    /// The daemon that must run the relay on this node, or null when another node holds it. Hot/cold: Marten's
    /// distributor takes one advisory lock per shard set; only the node whose distributor holds the relay's runs it.
    /// </summary>
    private async Task<IProjectionDaemon?> DaemonIfHeldAsync()
    {
        if (coordinator is not ProjectionCoordinatorBase { Distributor: { } distributor })
        {
            return null;
        }

        foreach (var set in await distributor.BuildDistributionAsync())
        {
            if (set.Names.Any(n => n.Identity == ShardIdentity))
            {
                return distributor.HasLock(set) ? coordinator.DaemonForMainDatabase() : null;
            }
        }

        return null;
    }

    private async Task<(long Position, long Head)> ReadPositionAndHeadAsync(CancellationToken cancellationToken)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var session = store.QuerySession();
        var position = await session.QueryAsync<long>(
            $"select coalesce(max(last_seq_id), 0) from {schema}.mt_event_progression where name = ?", cancellationToken, ShardIdentity);
        var head = await session.QueryAsync<long>($"select coalesce(max(seq_id), 0) from {schema}.mt_events", cancellationToken);
        return (position.Single(), head.Single());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the event relay's state; looking again at the next tick")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Restarting the event relay (attempt {Attempt}): status {Status}, stalled {Stalled}, position {Position}, {Lag} events waiting; next attempt in {Delay}")]
    private static partial void LogRestarting(ILogger logger, int attempt, AgentStatus status, bool stalled, long position, long lag, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Restart attempt {Attempt} of the event relay failed")]
    private static partial void LogRestartFailed(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "The event relay runs again at position {Position} after {Attempts} restart attempt(s)")]
    private static partial void LogResumed(ILogger logger, long position, int attempts);
}
