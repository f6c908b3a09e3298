using Marten;
using Marten.Services;
using Npgsql;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using PaymentStatusWrittenBack = ReconMesh.Domain.Writeback.PaymentStatusWrittenBack;
using ReconMesh.EventSourcing.Store;
using ReconMesh.Integrations.Connections;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// A payment's writeback stream started by two writers at once: the write that booked it (expecting a new stream) and the
/// copy that saw the platform's failure first and cancelled it. The write loses the race, and its booking is recorded
/// after the cancellation, so that the reconciliation hears it and reverses it. Before, PostgreSQL's refusal of the
/// second stream row (23505 on mt_streams' key, which Marten reports as a failed command) was not taken for the lost race
/// it is: the booking was never recorded, the acceptance came again to a cancelled reconciliation that ignored it, and
/// the money stayed in QuickBooks (seen once in a full test run, in <c>When_the_bus_loses_payment_announcements</c>).
/// </summary>
[TestFixture]
public sealed class When_two_writers_start_one_writeback_stream
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 11, 0, 0, TimeSpan.Zero);
    private const string Schema = "writeback_stream_race";
    private WritebackTestStore _writeback = null!;

    [OneTimeSetUp]
    public async Task Start() => _writeback = await WritebackTestStore.StartAsync(Schema);

    [OneTimeTearDown]
    public async Task Stop() => await _writeback.DisposeAsync();

    [Test]
    public async Task Starting_a_stream_another_writer_is_starting_is_a_lost_race()
    {
        var id = Guid.NewGuid();
        Exception? refused = null;
        await WhileACancellationStartsTheStreamAsync(id, async () =>
        {
            await using var session = _writeback.Store.LightweightSession();
            session.Events.Append(id, 1L, Booking(id));
            try
            {
                await session.SaveChangesAsync();
            }
            catch (Exception e)
            {
                refused = e;
            }
        });

        Assert.That(refused, Is.Not.Null, "the second start of the stream was refused");
        Assert.That(ConcurrentAppend.Lost(refused!), Is.True, $"{refused!.GetType().Name}: {refused.Message}");
    }

    [Test]
    public async Task A_booking_whose_stream_its_cancellation_started_meanwhile_is_recorded_after_it()
    {
        var id = Guid.NewGuid();
        var writes = new PaymentWrites(new WritebackConnections(new ConnectionCatalog([]), [], [], []), TimeProvider.System);
        var payment = new PaymentToWrite(id, "pay_race", "tenant-race", "USD", At, [new PaymentAllocation(Guid.NewGuid(), 25m)], 0m, null);

        // The write read no record (there was no stream yet) and booked; it records the booking as the cancellation commits.
        await WhileACancellationStartsTheStreamAsync(id, async () =>
        {
            await using var session = _writeback.Store.LightweightSession();
            await writes.AppendBookingAsync(session, payment, record: null, [Booking(id)], CancellationToken.None);
        });

        await using var query = _writeback.Store.QuerySession();
        var events = await query.Events.FetchStreamAsync(id);
        var record = await query.LoadAsync<WritebackRecord>(id);
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Data.GetType()), Is.EqualTo(new[] { typeof(WritebackCancelled), typeof(PaymentStatusWrittenBack) }));
            Assert.That(record, Is.Not.Null);
            Assert.That(record!.Cancelled, Is.False, "a booking recorded after the cancellation clears it");
            Assert.That(record.ExternalPaymentIds, Is.EqualTo(new[] { "110" }), "what the books hold is what a reversal reverts");
        });
    }

    /// <summary>
    /// The race as it happens: a cancellation starts the stream in a transaction not yet committed; <paramref name="append"/>
    /// starts the same stream and waits on PostgreSQL's lock of the new row; then the cancellation commits.
    /// </summary>
    private async Task WhileACancellationStartsTheStreamAsync(Guid id, Func<Task> append)
    {
        await using var connection = new NpgsqlConnection(_writeback.Servers.Postgres);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var cancelling = _writeback.Store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            cancelling.Events.Append(id, 1L, new WritebackCancelled(id, "pay_race", "tenant-race", "The payment failed on the platform before it was written.", At));
            await cancelling.SaveChangesAsync();
        }

        var appending = append();
        await Eventually.Until(() => WaitingOnALockAsync(), n => n > 0 || appending.IsCompleted, "the booking's append to wait for the cancellation's row");
        await transaction.CommitAsync();
        await appending;
    }

    /// <summary>
    /// Appends to this fixture's schema waiting for a lock (the second start of the stream waits on the first's
    /// uncommitted row); another fixture's waits on the same database do not count.
    /// </summary>
    private async Task<long> WaitingOnALockAsync()
    {
        await using var connection = new NpgsqlConnection(_writeback.Servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            select count(*) from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like '%{Schema}.mt_quick_append_events%'
            """, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static PaymentStatusWrittenBack Booking(Guid id) =>
        new(id, "pay_race", "tenant-race", Guid.NewGuid(), IntegrationKind.QuickBooksOnline, PaymentWritebackStatus.Paid, ["110"], [], At);
}
