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
        // A pool of its own that resets each connection it takes back (DISCARD ALL): the store's pool skips the reset, and
        // a lock that an unlock failed to release must not stay with a pooled connection.
        await using var template = store.Storage.Database.CreateConnection();
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(template.ConnectionString) { NoResetOnClose = false }.ConnectionString);
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
            // The connection broke (the database restarted): the lock went with the session.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
