using Marten;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.Contracts;
using ReconMesh.InvoiceIngest.Connections;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.InvoiceIngest.Api;

/// <summary>
/// A tenant's connections and where each stands: its status (active, credentials rejected, paused by an operator) and
/// its sync. Operators pause and resume a connection, or ask for a reconciliation (every open invoice checked against
/// the integration) now, or for a replay (its invoices announced again to consumers that missed them,
/// <see cref="ReplayConnection"/>), add connections (<see cref="AddConnection"/>) and remove them (<see cref="RemoveConnection"/>;
/// a removed connection is still shown, with status <c>Removed</c>, who removed it and when). Scoped by tenant: another
/// tenant's connection is "not found". Credentials never appear; an added connection shows the name of the secret it uses.
/// </summary>
public static class ConnectionsApi
{
    public sealed record ConnectionView(
        Guid Id, string TenantId, IntegrationKind Kind, ConnectionStatus Status, string? Reason, DateTimeOffset? StatusSince, int RejectedAttempts,
        bool InitialSyncComplete, DateTimeOffset? LastSyncAt, DateTimeOffset? LastReconciledAt, string? LastSyncFailure, DateTimeOffset? LastSyncFailedAt,
        int FailedSyncsInARow, ConnectionSettingsView Settings, DateTimeOffset? RemovedAt = null, string? RemovedBy = null,
        int? InvoicesSynced = null, RateLimitView? RateLimit = null);

    /// <summary>
    /// The budget the connection's calls to its integration are paced to (across every replica and service): requests a
    /// minute and at once, 0 for none, and whether they are the connection's own or the integration's published limits.
    /// </summary>
    /// <remarks>InFlight and AheadOfPace: the budget as taken right now across replicas (<see cref="ApiLimitUse"/>); null when unpaced or unknown.</remarks>
    public sealed record RateLimitView(int RequestsPerMinute, int MaxConcurrent, string Source, int? InFlight = null, int? AheadOfPace = null, int? Burst = null);

    /// <summary>
    /// How the connection is set up, without its secret: where it came from (<c>configuration</c>, or <c>api</c> with the
    /// name of the secret it uses), what it reaches, and the accounting choices made for it.
    /// </summary>
    public sealed record ConnectionSettingsView(
        string Source, string? CredentialsSecret, Uri? BaseUrl, string? RealmId, string? CompanyId, string? DepositAccountId, bool RecordDeposits,
        string? FeesAccountId, string? ReversalsAccountId, string? SurchargeAccountId, Guid? SecondaryConnectionId, bool IsSecondary,
        TimeSpan PollInterval, TimeSpan ReconcileInterval, bool CredentialsAvailable, string? XeroTenantId = null, string? PaymentsAccountId = null,
        string? UserName = null, string? IntegrationCode = null, Uri? ZoneUrl = null, string? Currency = null, int? BudgetSharePercent = null);

    public static IEndpointRouteBuilder MapConnectionsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/tenants/{tenantId}/connections").WithTags("Connections");
        group.MapGet("/", ListAsync);
        group.MapPost("/", AddConnection.HandleAsync);
        group.MapGet("/{connectionId:guid}", GetAsync);
        group.MapDelete("/{connectionId:guid}", RemoveConnection.HandleAsync);
        group.MapPost("/{connectionId:guid}/pause", (string tenantId, Guid connectionId, ConnectionCatalog catalog, ConnectionStates states,
                IQuerySession session, CancellationToken cancellationToken) =>
            WithConnectionAsync(tenantId, connectionId, catalog, async c =>
            {
                await states.PauseAsync(c, cancellationToken);
                return await ViewAsync(c, session, cancellationToken);
            }));
        group.MapPost("/{connectionId:guid}/resume", (string tenantId, Guid connectionId, ConnectionCatalog catalog, ConnectionStates states,
                SyncTrigger trigger, IQuerySession session, CancellationToken cancellationToken) =>
            WithConnectionAsync(tenantId, connectionId, catalog, async c =>
            {
                await states.ResumeAsync(c, cancellationToken);
                trigger.Wake(c.Id);
                return await ViewAsync(c, session, cancellationToken);
            }));
        group.MapPost("/{connectionId:guid}/reconcile", (string tenantId, Guid connectionId, ConnectionCatalog catalog, SyncTrigger trigger) =>
            WithConnectionAsync(tenantId, connectionId, catalog, c =>
            {
                trigger.RequestReconciliation(c.Id);
                return Task.FromResult(Results.Accepted());
            }));
        group.MapPost("/{connectionId:guid}/replay", ReplayConnection.HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(string tenantId, ConnectionCatalog catalog, ConnectionRegistry registry, IConfiguration configuration,
        IQuerySession session, IApiRateLimiter limiter, CancellationToken cancellationToken)
    {
        // Connections another replica added (or removed) since this one's last refresh are listed as they stand.
        await registry.RefreshAsync(cancellationToken);
        var removed = catalog.Registered.Where(r => r.RemovedAt is not null).Select(r => r.Resolve(configuration));
        var views = new List<ConnectionView>();
        foreach (var connection in catalog.All.Concat(removed).Where(c => c.TenantId == tenantId).OrderBy(c => c.Id))
        {
            views.Add(await LoadAsync(connection, session, cancellationToken, catalog, limiter));
        }

        return Results.Ok(views);
    }

    /// <summary>The connection as it stands, a removed one included.</summary>
    private static async Task<IResult> GetAsync(string tenantId, Guid connectionId, ConnectionCatalog catalog, IConfiguration configuration,
        IQuerySession session, IApiRateLimiter limiter, CancellationToken cancellationToken)
    {
        var connection = await catalog.FindAsync(connectionId, cancellationToken) ?? catalog.Removed(connectionId)?.Resolve(configuration);
        return connection is not null && connection.TenantId == tenantId
            ? Results.Ok(await LoadAsync(connection, session, cancellationToken, catalog, limiter))
            : NotFound(tenantId, connectionId);
    }

    /// <summary>Pause, resume and reconcile reach a connection that serves: a removed one is not found.</summary>
    private static async Task<IResult> WithConnectionAsync(string tenantId, Guid connectionId, ConnectionCatalog catalog, Func<ConnectionSettings, Task<IResult>> then) =>
        await catalog.FindAsync(connectionId, CancellationToken.None) is { } connection && connection.TenantId == tenantId
            ? await then(connection)
            : NotFound(tenantId, connectionId);

    internal static IResult NotFound(string tenantId, Guid connectionId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Connection not found", detail: $"Tenant {tenantId} has no connection {connectionId}.");

    private static async Task<IResult> ViewAsync(ConnectionSettings connection, IQuerySession session, CancellationToken cancellationToken) =>
        Results.Ok(await LoadAsync(connection, session, cancellationToken));

    internal static async Task<ConnectionView> LoadAsync(ConnectionSettings connection, IQuerySession session, CancellationToken cancellationToken,
        ConnectionCatalog? catalog = null, IApiRateLimiter? limiter = null)
    {
        var state = await session.LoadAsync<ConnectionState>(connection.Id, cancellationToken);
        var cursor = await session.LoadAsync<SyncCursor>(connection.Id, cancellationToken);
        var added = catalog?.Registered.FirstOrDefault(r => r.Id == connection.Id)
            ?? await session.LoadAsync<ConnectionRegistration>(connection.Id, cancellationToken);
        var settings = new ConnectionSettingsView(added is null ? "configuration" : "api", added?.CredentialsSecret, connection.BaseUrl, connection.RealmId,
            connection.CompanyId, connection.DepositAccountId, connection.RecordDeposits, connection.FeesAccountId, connection.ReversalsAccountId,
            connection.SurchargeAccountId, connection.SecondaryConnectionId, connection.IsSecondary, connection.PollInterval, connection.ReconcileInterval,
            CredentialsAvailable: !string.IsNullOrWhiteSpace(connection.Kind switch
            {
                IntegrationKind.ConnectWisePsa => connection.PrivateKey,
                IntegrationKind.AutotaskPsa => connection.Secret,
                _ => connection.AccessToken,
            }),
            connection.XeroTenantId, connection.PaymentsAccountId, connection.UserName, connection.IntegrationCode, connection.ZoneUrl, connection.Currency,
            connection.BudgetSharePercent);
        var (status, reason, since) = added is { RemovedAt: { } removedAt }
            ? (ConnectionStatus.Removed, $"Removed by {added.RemovedBy} at {removedAt:O}: nothing is synced from it or written to it.", removedAt)
            : (state?.Status ?? ConnectionStatus.Active, state?.Reason, state?.Since);
        // How far its sync has come: the integration reports no total ahead of a full sync, so the count so far is all there is.
        var synced = await InvoiceViews.OfConnection(session, connection.Id).CountAsync(cancellationToken);
        var (limits, own) = ConnectionLimits.Of(connection);
        var use = limiter is not null && limits.RequestsPerMinute > 0 && added?.RemovedAt is null
            ? await limiter.UseAsync(ConnectionLimits.Key(connection), limits, cancellationToken) : null;
        return new ConnectionView(connection.Id, connection.TenantId, connection.Kind, status, reason, since,
            state?.RejectedAttempts ?? 0, cursor?.InitialSyncComplete ?? false, cursor?.LastSyncAt, cursor?.LastReconciledAt, state?.LastSyncFailure, state?.LastSyncFailedAt,
            state?.FailedSyncsInARow ?? 0, settings, added?.RemovedAt, added?.RemovedBy, synced,
            new RateLimitView(limits.RequestsPerMinute, limits.MaxConcurrent, own ? "connection" : "integration", use?.InFlight, use?.AheadOfPace,
                limits.RequestsPerMinute > 0 ? limits.Burst : null));
    }
}
