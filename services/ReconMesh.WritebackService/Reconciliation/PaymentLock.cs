using Medallion.Threading.Postgres;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// One effect on a payment at a time where the integration has no idempotency key (ADR 4): a PostgreSQL session
/// advisory lock keyed by the payment's id, taken through DistributedLock on a connection of its own, outside any
/// transaction (appends and the relay are never held up; a process that dies releases it with its connection). The
/// connection is checked every few seconds while the lock is held, and <see cref="Lost"/> is cancelled when it breaks:
/// the holder stops what it is doing instead of writing on after another copy may have taken the lock.
/// </summary>
public sealed class PaymentLock : IAsyncDisposable
{
    /// <summary>How often a held lock's connection is checked.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(5);

    private readonly PostgresDistributedLockHandle _handle;

    private PaymentLock(PostgresDistributedLockHandle handle) => _handle = handle;

    /// <summary>Cancelled when the lock's connection is lost (the lock went with it).</summary>
    public CancellationToken Lost => _handle.HandleLostToken;

    public static async Task<PaymentLock> AcquireAsync(PaymentLocks locks, Guid meshPaymentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(locks);
        var bytes = meshPaymentId.ToByteArray();
        var key = new PostgresAdvisoryLockKey(BitConverter.ToInt64(bytes, 0) ^ BitConverter.ToInt64(bytes, 8));
        var @lock = new PostgresDistributedLock(key, locks.ConnectionString, o => o.KeepaliveCadence(KeepAlive));
        return new PaymentLock(await @lock.AcquireAsync(cancellationToken: cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _handle.DisposeAsync();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
        {
            // The connection broke (the database restarted, the backend was ended): the lock went with its session, and
            // the broken connection is not handed out again.
        }
    }
}

/// <summary>
/// Where payment locks are taken: the service's PostgreSQL, through a pool of the lock library's own, of at most
/// <see cref="MaxPoolSize"/> connections (one per lock held), unless the connection string sets its own.
/// </summary>
public sealed class PaymentLocks(string connectionString)
{
    public const int MaxPoolSize = 8;

    public string ConnectionString { get; } = connectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase)
        || connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase)
        ? connectionString
        : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = MaxPoolSize }.ConnectionString;
}
