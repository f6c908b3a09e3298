using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ReconMesh.Integrations.Connections;

/// <summary>
/// Keeps the <see cref="ConnectionCatalog"/> in step with the connections added through the API that this service's
/// store holds (InvoiceIngest records them when they are added; WritebackService when it hears of them): all of them
/// at start, then every <c>ReconMesh:ConnectionRegistry:RefreshInterval</c> (default 10 s), so every replica learns of
/// a connection another replica added. A lookup of an unknown id reads the store at once
/// (<see cref="ConnectionCatalog.FindAsync"/>), so the refresh only bounds how soon a new connection starts syncing.
/// </summary>
public sealed partial class ConnectionRegistry(ConnectionCatalog catalog, IDocumentStore store, IConfiguration configuration, ILogger<ConnectionRegistry> logger)
    : BackgroundService
{
    public const string RefreshIntervalKey = "ReconMesh:ConnectionRegistry:RefreshInterval";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        catalog.LoadMissingWith(async (id, token) =>
        {
            await using var session = store.QuerySession();
            return await session.LoadAsync<ConnectionRegistration>(id, token);
        });
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.TryParse(configuration[RefreshIntervalKey], System.Globalization.CultureInfo.InvariantCulture, out var configured)
            && configured > TimeSpan.Zero
                ? configured
                : TimeSpan.FromSeconds(10);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The database is away: the connections known so far keep working; the next refresh tries again.
                LogRefreshFailed(logger, ex.GetType().Name, ex.Message);
            }

            try
            {
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Adds to the catalog every stored connection it does not know yet, and the removal of those removed since.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var stored = await session.Query<ConnectionRegistration>().ToListAsync(cancellationToken);
        foreach (var registration in stored)
        {
            if (catalog.Register(registration))
            {
                LogLearned(logger, registration.Id, registration.Kind.ToString(), registration.TenantId, registration.RemovedAt is null ? "added" : "removed");
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Connection {ConnectionId} ({Kind}) of tenant {TenantId} {Change}")]
    private static partial void LogLearned(ILogger logger, Guid connectionId, string kind, string tenantId, string change);

    [LoggerMessage(LogLevel.Warning, "Could not read the added connections ({Error}: {Message}); trying again later")]
    private static partial void LogRefreshFailed(ILogger logger, string error, string message);
}
