using System.Diagnostics;
using Microsoft.Extensions.Options;
using ReconMesh.InvoiceIngest.Connections;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Autotask;
using ReconMesh.Integrations.ConnectWise;
using ReconMesh.Integrations.QuickBooks;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.Xero;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// Runs the sync of each connection whose kind has an <see cref="IInvoiceSource"/> (QuickBooks Online, ConnectWise PSA, Xero)
/// on its poll interval, or at once when a webhook or callback says something changed. A failure is retried with
/// growing back-off; credentials the integration rejects pause the connection (<see cref="ConnectionState"/>), and
/// a paused connection asks nothing of its integration until its credentials are replaced or an operator resumes it. Why the
/// last failed sync failed is kept on the connection (<see cref="ConnectionState.LastSyncFailure"/>).
/// </summary>
public sealed partial class ConnectionSyncWorker(ConnectionCatalog connections, IEnumerable<IInvoiceSource> sources, SyncTrigger trigger,
    ConnectionStates states, IServiceProvider services, IOptions<SyncPaceOptions> pace, ILogger<ConnectionSyncWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Each sync pass is the root of a trace: the integration's reads are its children, and so, through the trace context
    /// stamped on the events it appends, are their relay to the bus and the consumers in other services.
    /// </summary>
    private static readonly ActivitySource Telemetry = new(ServiceDefaultsExtensions.TelemetrySourceName);

    /// <summary>
    /// One loop per connection: those configured at start, and each connection added later as soon as this replica hears of
    /// it; a connection's loop ends when it is removed.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new Dictionary<Guid, Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            // Asked for before looking, so a connection added while looking wakes the next look.
            var added = connections.WaitForChangeAsync(stoppingToken);
            foreach (var connection in connections.All.Where(c => !c.IsSecondary && sources.Any(s => s.Kind == c.Kind) && !running.ContainsKey(c.Id)))
            {
                running[connection.Id] = RunAsync(connection.Id, stoppingToken);
            }

            try
            {
                await added;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running.Values);
    }

    private async Task RunAsync(Guid connectionId, CancellationToken stoppingToken)
    {
        var failures = 0;
        var lastPassEnded = long.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Read each time: the secret of a connection added through the API is resolved now, so a rotated one is used;
            // a removed connection is not found, and its loop ends.
            if (connections.Find(connectionId) is not { } connection)
            {
                LogStopped(logger, connectionId);
                return;
            }

            var wait = connection.PollInterval;
            try
            {
                var gap = TimeSpan.FromTicks(Math.Min(pace.Value.WokenPassGap.Ticks, connection.PollInterval.Ticks));
                if (lastPassEnded != long.MinValue && Stopwatch.GetElapsedTime(lastPassEnded) is var since && since < gap)
                {
                    await Task.Delay(gap - since, stoppingToken);
                }

                // A paused connection only re-reads its state (woken by a resume, or at its poll interval).
                var state = await states.CurrentAsync(connection, stoppingToken);
                if (!state.IsPaused)
                {
                    // Woken by a payment written back: the pass is part of that payment's trace (and links the others it serves).
                    var causes = trigger.TakeCauses(connectionId);
                    using var pass = Telemetry.StartActivity($"sync {connection.Kind}", ActivityKind.Internal,
                        causes.Count > 0 ? causes[0] : default, links: causes.Skip(1).Select(c => new ActivityLink(c)));
                    pass?.SetTag("reconmesh.connection.id", connection.Id);
                    using var scope = services.CreateScope();
                    var result = await scope.ServiceProvider.GetRequiredService<InvoiceSync>().RunAsync(connection, stoppingToken);
                    if (result.EventsAppended > 0)
                    {
                        LogSynced(logger, connection.Id, result.InvoicesRead, result.EventsAppended);
                    }

                    failures = 0;
                    await states.SyncSucceededAsync(connection, state, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (CredentialsRejected(ex) is { } answer)
            {
                failures = 0;
                var state = await states.CredentialsRejectedAsync(connection, answer, CancellationToken.None);
                LogPaused(logger, connection.Id, connection.Kind.ToString(), answer, state.RejectedAttempts);
            }
            catch (Exception ex)
            {
                failures++;
                wait = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, connection.PollInterval.Ticks * (1L << Math.Min(failures, 10))));
                var reason = IntegrationRefusedException.In(ex) is { } refused ? refused.Message
                    : ex is QuickBooksException or ConnectWiseException or XeroException or AutotaskException ? ex.Message : ex.GetType().Name + ": " + ex.Message;
                LogSyncFailed(logger, connection.Id, reason, wait);
                await RecordFailureAsync(connection, reason);
            }

            lastPassEnded = Stopwatch.GetTimestamp();
            try
            {
                await trigger.WaitAsync(connectionId, wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>What the connection shows an operator; a failure to record it is only logged (the sync is retried anyway).</summary>
    private async Task RecordFailureAsync(ConnectionSettings connection, string reason)
    {
        try
        {
            await states.SyncFailedAsync(connection, reason, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSyncFailed(logger, connection.Id, $"and its failure could not be recorded: {ex.GetType().Name}", TimeSpan.Zero);
        }
    }

    /// <summary>The integration's answer when it refused the credentials (not a missing permission on one record), else null.</summary>
    private static string? CredentialsRejected(Exception ex) => ex switch
    {
        QuickBooksException { IsAuthentication: true } qbo => qbo.Message,
        ConnectWiseException { Status: System.Net.HttpStatusCode.Unauthorized } cw => cw.Message,
        XeroException { IsAuthentication: true } xero => xero.Message,
        AutotaskException { IsAuthentication: true } autotask => autotask.Message,
        _ => null,
    };

    [LoggerMessage(LogLevel.Information, "Connection {ConnectionId} was removed: its sync stopped")]
    private static partial void LogStopped(ILogger logger, Guid connectionId);

    [LoggerMessage(LogLevel.Information, "Connection {ConnectionId}: read {Invoices} invoices, recorded {Events} changes")]
    private static partial void LogSynced(ILogger logger, Guid connectionId, int invoices, int events);

    [LoggerMessage(LogLevel.Warning, "Connection {ConnectionId}: sync failed ({Reason}); next try in {Wait}")]
    private static partial void LogSyncFailed(ILogger logger, Guid connectionId, string reason, TimeSpan wait);

    [LoggerMessage(LogLevel.Error,
        "Connection {ConnectionId}: {Kind} rejected its credentials ({Answer}, {Attempts} time(s)); paused until they are replaced or an operator resumes it")]
    private static partial void LogPaused(ILogger logger, Guid connectionId, string kind, string answer, int attempts);
}
