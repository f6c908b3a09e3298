using Marten;
using Npgsql;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// One effect on a payment at a time, across consumers and replicas: a PostgreSQL session advisory lock keyed by the
/// payment's id, held on a connection of its own while a write or a reversal runs. It is outside any transaction, so
/// appends and the event relay are never held up; a process that dies releases it with its connection.
/// Two copies of one command (a redelivery, the saga issuing it again) would otherwise both find nothing written in
/// an integration without an idempotency key (ConnectWise) and both write.
/// </summary>
public sealed class PaymentLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private PaymentLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    public static async Task<PaymentLock> AcquireAsync(IDocumentStore store, Guid meshPaymentId, CancellationToken cancellationToken)
    {
        var bytes = meshPaymentId.ToByteArray();
        var key = BitConverter.ToInt64(bytes, 0) ^ BitConverter.ToInt64(bytes, 8);
        var connection = store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", key);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new PaymentLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Explicitly: a pooled connection keeps session locks until it is reset.
            await using var command = new NpgsqlCommand("select pg_advisory_unlock(@key)", _connection);
            command.Parameters.AddWithValue("key", _key);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The connection broke (the database restarted) and the lock went with the session; or it did not, and the
            // store's pool, which skips DISCARD ALL, must not hand out a connection still holding the lock: close its
            // connections instead of reusing them.
            NpgsqlConnection.ClearPool(_connection);
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
