using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;

namespace ReconMesh.Sandbox;

/// <summary>
/// What the simulators' webhook dispatchers share: a batch is flushed every <see cref="Interval"/>, its deliveries run
/// in the background (see <see cref="SandboxWebhookDelivery"/>) and are awaited when the host stops.
/// </summary>
internal abstract class SandboxWebhookService(TimeProvider time) : BackgroundService
{
    private readonly ConcurrentDictionary<Task, byte> _deliveries = new();

    protected HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    public override void Dispose()
    {
        Http.Dispose();
        base.Dispose();
    }

    /// <summary>Sends what has been queued since the last flush.</summary>
    protected abstract void Flush(CancellationToken stoppingToken);

    /// <summary>Keeps a delivery running in the background until it ends, so stopping waits for it.</summary>
    protected void Track(Task delivery)
    {
        _deliveries.TryAdd(delivery, 0);
        _ = delivery.ContinueWith(t => _deliveries.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Flush(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(_deliveries.Keys);
    }
}
