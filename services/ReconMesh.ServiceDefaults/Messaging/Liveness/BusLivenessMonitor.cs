using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace ReconMesh.ServiceDefaults.Messaging.Liveness;

/// <summary>One reading of the bus: the verdict, since when its time short of healthy is counted, and which endpoints are not healthy.</summary>
public sealed record BusReading(BusVerdict Verdict, DateTimeOffset CountedFrom, string Description);

/// <summary>
/// Reads the bus every <see cref="BusLivenessOptions.SampleEvery"/> and keeps the latest verdict for the liveness check.
/// Why: the RabbitMQ client can strand a receive endpoint after the broker restarts (a channel's semaphore disposed
/// under a waiting consume); MassTransit then retries that endpoint for ever and its queue is never read again, while
/// the process still answers and is still ready (a degraded bus is ready). Only a restart heals it, and the
/// orchestrator restarts a process whose liveness probe fails.
/// </summary>
internal sealed partial class BusLivenessMonitor(
    IBusControl bus, BrokerSettings broker, IOptions<BusLivenessOptions> options, TimeProvider clock, ILogger<BusLivenessMonitor> logger)
    : BackgroundService
{
    /// <summary>Since when the bus has been short of healthy with the broker there (<see cref="BusLiveness.CountFrom"/>).</summary>
    private DateTimeOffset _countedFrom = clock.GetUtcNow();

    public BusReading Latest { get; private set; } = new(BusVerdict.Healthy, clock.GetUtcNow(), "Not read yet");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.SampleEvery, clock);
        do
        {
            await ReadAsync(settings, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ReadAsync(BusLivenessOptions settings, CancellationToken cancellationToken)
    {
        var health = bus.CheckHealth();
        var now = clock.GetUtcNow();
        var healthy = health.Status == BusHealthStatus.Healthy;
        var since = now - (healthy ? now : _countedFrom);
        bool? brokerAnswers = BusLiveness.NeedsBrokerAnswer(healthy, since, settings.StuckAfter)
            ? await BrokerAnswersAsync(settings.BrokerAnswerTimeout, cancellationToken)
            : null;
        var verdict = BusLiveness.Judge(healthy, since, settings.StuckAfter, brokerAnswers);
        _countedFrom = BusLiveness.CountFrom(_countedFrom, now, healthy, brokerAnswers);
        var description = healthy ? "Every endpoint consumes" : NotHealthy(health);
        if (verdict == BusVerdict.Stuck && Latest.Verdict != BusVerdict.Stuck)
        {
            LogStuck(logger, since, description);
        }

        Latest = new BusReading(verdict, _countedFrom, description);
    }

    private static string NotHealthy(BusHealthResult health)
    {
        var endpoints = health.Endpoints.Where(e => e.Value.Status != BusHealthStatus.Healthy).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
        return endpoints.Count > 0 ? $"{health.Status}: {string.Join(", ", endpoints)}" : $"{health.Status}: {health.Description}";
    }

    /// <summary>
    /// Whether the broker serves this process now (a new connection and a channel on it): what tells a stranded client
    /// from a broker that is away. The channel matters: RabbitMQ.Client returns a connection to a virtual host the broker
    /// then refuses (its close arrives after the open), and only the next operation fails.
    /// </summary>
    private async Task<bool> BrokerAnswersAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await using var connection = await broker.ConnectAsync("reconmesh-liveness", limit.Token);
            await using (var channel = await connection.CreateChannelAsync(cancellationToken: limit.Token))
            {
                await channel.CloseAsync(limit.Token);
            }

            await connection.CloseAsync(limit.Token);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return false; // refused, unreachable, timed out: the broker is away, and a restart would not bring it back
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message =
        "The bus has not been healthy for {Since} while the broker serves a new connection ({Endpoints}); this process will not heal on its own, so its liveness probe now fails and the orchestrator restarts it")]
    private static partial void LogStuck(ILogger logger, TimeSpan since, string endpoints);
}
