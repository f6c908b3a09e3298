using Npgsql;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// The per-payment lock of writes without an idempotency key (ADR 4), on a real PostgreSQL: a second copy waits for the
/// first, and a holder whose connection is lost hears of it (the lock went with the connection), so it stops writing
/// instead of writing on beside a copy that may have taken the lock meanwhile.
/// </summary>
[TestFixture]
public sealed class When_copies_of_a_write_take_turns
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private TestServers _servers = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _servers = await TestServers.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _servers.DisposeAsync();

    [Test]
    public async Task The_second_copy_takes_the_lock_only_once_the_first_lets_go()
    {
        var locks = new PaymentLocks(_servers.Postgres);
        var payment = Guid.NewGuid();
        var first = await PaymentLock.AcquireAsync(locks, payment, CancellationToken.None);
        var second = PaymentLock.AcquireAsync(locks, payment, CancellationToken.None);
        var other = await PaymentLock.AcquireAsync(locks, Guid.NewGuid(), CancellationToken.None).WaitAsync(Limit);

        // The second copy is still waiting once another payment's lock has been taken and given back.
        await other.DisposeAsync();
        Assert.That(second.IsCompleted, Is.False);

        await first.DisposeAsync();
        await using var taken = await second.WaitAsync(Limit);
        Assert.That(taken.Lost.IsCancellationRequested, Is.False);
    }

    [Test]
    public async Task A_holder_whose_connection_is_lost_hears_of_it()
    {
        var locks = new PaymentLocks(_servers.Postgres);
        var payment = Guid.NewGuid();
        await using var held = await PaymentLock.AcquireAsync(locks, payment, CancellationToken.None);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = held.Lost.Register(() => lost.TrySetResult());

        // Whatever ends the lock's session (a failover, a killed backend) ends the lock: here, its backend is terminated.
        await using (var admin = new NpgsqlConnection(_servers.Postgres))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and pid <> pg_backend_pid() " +
                "and ((classid::bigint << 32) | objid::bigint) = @key", admin);
            var bytes = payment.ToByteArray();
            kill.Parameters.AddWithValue("key", BitConverter.ToInt64(bytes, 0) ^ BitConverter.ToInt64(bytes, 8));
            Assert.That(await kill.ExecuteScalarAsync(), Is.True, "the lock's backend was found and terminated");
        }

        await lost.Task.WaitAsync(Limit);
        await using var again = await PaymentLock.AcquireAsync(locks, payment, CancellationToken.None).WaitAsync(Limit);
        Assert.That(held.Lost.IsCancellationRequested, Is.True);
    }
}
