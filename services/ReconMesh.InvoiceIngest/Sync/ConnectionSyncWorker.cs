using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.ConnectWise;
using ReconMesh.Integrations.QuickBooks;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// Runs the sync of each connection whose kind has an <see cref="IInvoiceSource"/> (QuickBooks Online, ConnectWise PSA)
/// on its poll interval, or at once when a webhook or callback says something changed.
/// </summary>
public sealed partial class ConnectionSyncWorker(ConnectionCatalog connections, IEnumerable<IInvoiceSource> sources, SyncTrigger trigger, IServiceProvider services, ILogger<ConnectionSyncWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(connections.All
            .Where(c => sources.Any(s => s.Kind == c.Kind))
            .Select(c => RunAsync(c, stoppingToken)));

    private async Task RunAsync(ConnectionSettings connection, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = connection.PollInterval;
            try
            {
                using var scope = services.CreateScope();
                var result = await scope.ServiceProvider.GetRequiredService<InvoiceSync>().RunAsync(connection, stoppingToken);
                if (result.EventsAppended > 0)
                {
                    LogSynced(logger, connection.Id, result.InvoicesRead, result.EventsAppended);
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                wait = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, connection.PollInterval.Ticks * (1L << Math.Min(failures, 10))));
                var reason = ex is QuickBooksException or ConnectWiseException ? ex.Message : ex.GetType().Name + ": " + ex.Message;
                LogSyncFailed(logger, connection.Id, reason, wait);
            }

            try
            {
                await trigger.WaitAsync(connection.Id, wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Connection {ConnectionId}: read {Invoices} invoices, recorded {Events} changes")]
    private static partial void LogSynced(ILogger logger, Guid connectionId, int invoices, int events);

    [LoggerMessage(LogLevel.Warning, "Connection {ConnectionId}: sync failed ({Reason}); next try in {Wait}")]
    private static partial void LogSyncFailed(ILogger logger, Guid connectionId, string reason, TimeSpan wait);
}
