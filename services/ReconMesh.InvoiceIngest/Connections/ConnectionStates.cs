using Marten;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Connections;

/// <summary>Reads and changes <see cref="ConnectionState"/>s; every change is one small transaction.</summary>
public sealed class ConnectionStates(IDocumentStore store, TimeProvider clock)
{
    /// <summary>The connection's state, with a rejection lifted when its credentials have been replaced since.</summary>
    public async Task<ConnectionState> CurrentAsync(ConnectionSettings connection, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var state = await session.LoadAsync<ConnectionState>(connection.Id, cancellationToken) ?? Active(connection);
        if (state is { Status: ConnectionStatus.CredentialsRejected } && state.RejectedCredentials != connection.CredentialsFingerprint())
        {
            // Replaced credentials: tried again at once.
            state = Active(connection);
            state.Since = clock.GetUtcNow();
            session.Store(state);
            await session.SaveChangesAsync(cancellationToken);
        }

        return state;
    }

    public async Task<ConnectionState?> FindAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<ConnectionState>(connectionId, cancellationToken);
    }

    public Task<ConnectionState> CredentialsRejectedAsync(ConnectionSettings connection, string answer, CancellationToken cancellationToken) =>
        ChangeAsync(connection, state =>
        {
            state.RejectedAttempts = state.Status == ConnectionStatus.CredentialsRejected ? state.RejectedAttempts + 1 : 1;
            state.Status = ConnectionStatus.CredentialsRejected;
            state.Reason = $"{connection.Kind} rejected the connection's credentials ({answer}). Replace them, or resume once fixed.";
            state.RejectedCredentials = connection.CredentialsFingerprint();
        }, cancellationToken);

    public Task<ConnectionState> PauseAsync(ConnectionSettings connection, CancellationToken cancellationToken) =>
        ChangeAsync(connection, state =>
        {
            if (state.Status == ConnectionStatus.Active)
            {
                state.Status = ConnectionStatus.PausedByOperator;
                state.Reason = "Paused by an operator.";
            }
        }, cancellationToken);

    /// <summary>A sync failed, for a reason an operator can read on the connection; its status does not change.</summary>
    public Task<ConnectionState> SyncFailedAsync(ConnectionSettings connection, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(connection, state =>
        {
            state.LastSyncFailure = reason.Length > 1000 ? reason[..1000] + "…" : reason;
            state.LastSyncFailedAt = clock.GetUtcNow();
            state.FailedSyncsInARow++;
        }, cancellationToken);

    /// <summary>A sync succeeded after <paramref name="state"/>'s failures: they no longer count in a row (the last reason stays).</summary>
    public async Task SyncSucceededAsync(ConnectionSettings connection, ConnectionState state, CancellationToken cancellationToken)
    {
        if (state.FailedSyncsInARow > 0)
        {
            await ChangeAsync(connection, s => s.FailedSyncsInARow = 0, cancellationToken);
        }
    }

    /// <summary>Active again; a rejection counts from zero.</summary>
    public Task<ConnectionState> ResumeAsync(ConnectionSettings connection, CancellationToken cancellationToken) =>
        ChangeAsync(connection, state =>
        {
            state.Status = ConnectionStatus.Active;
            state.Reason = null;
            state.RejectedCredentials = null;
            state.RejectedAttempts = 0;
        }, cancellationToken);

    private async Task<ConnectionState> ChangeAsync(ConnectionSettings connection, Action<ConnectionState> change, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var state = await session.LoadAsync<ConnectionState>(connection.Id, cancellationToken) ?? Active(connection);
        var before = state.Status;
        change(state);
        if (state.Status != before || state.Since is null)
        {
            state.Since = clock.GetUtcNow();
        }

        session.Store(state);
        await session.SaveChangesAsync(cancellationToken);
        return state;
    }

    private static ConnectionState Active(ConnectionSettings connection) =>
        new() { Id = connection.Id, TenantId = connection.TenantId, Status = ConnectionStatus.Active };
}
