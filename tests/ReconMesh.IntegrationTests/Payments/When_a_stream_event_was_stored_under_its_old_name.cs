using Marten;
using Npgsql;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.EventSourcing.Store;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.PaymentEvents.Payments;
using ReconMesh.WritebackService;
using ReconMesh.WritebackService.Reconciliation;
using StoredPayment = ReconMesh.Domain.Payments;
using StoredWriteback = ReconMesh.Domain.Writeback;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// Stream events that took their contract's name: in the payment stream <c>PaymentReceived</c> and
/// <c>PaymentFailureRecorded</c> (now <see cref="StoredPayment.PaymentAccepted"/>, <see cref="StoredPayment.PaymentFailureAccepted"/>),
/// in the writeback stream <c>PaymentWrittenBack</c> and <c>PaymentReversedInIntegration</c> (now
/// <see cref="StoredWriteback.PaymentStatusWrittenBack"/>, <see cref="StoredWriteback.PaymentStatusReverted"/>). Their stored
/// names are the stores' (<see cref="PaymentStore"/>, <see cref="WritebackStore"/>), so rows the previous version wrote (its
/// stored name, its .NET type name) load as the new types, and new rows are stored under the same names as before.
/// </summary>
[TestFixture]
public sealed class When_a_stream_event_was_stored_under_its_old_name
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private TestServers _servers = null!;

    [OneTimeSetUp]
    public async Task Start() => _servers = await TestServers.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _servers.DisposeAsync();

    [Test]
    public async Task A_payment_event_loads_as_the_type_of_the_new_name()
    {
        var id = Guid.NewGuid();
        var (names, types) = await StoreAsOldVersionAndLoadAsync("payments_stored_names", PaymentStore.Configure, id,
            [("PaymentAccepted", "PaymentReceived"), ("PaymentFailureAccepted", "PaymentFailureRecorded")],
            new StoredPayment.PaymentAccepted(id, "pay_old", "tenant-old", PaymentMethod.Ach, "USD", 10m, 0m,
                [new PaymentAllocation(Guid.NewGuid(), 10m)], At, At),
            new StoredPayment.PaymentFailureAccepted(id, "pay_old", "tenant-old", "R01", "Insufficient funds", At, At));

        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(new[] { "payment_received", "payment_failure_recorded" }));
            Assert.That(types, Is.EqualTo(new[] { typeof(StoredPayment.PaymentAccepted), typeof(StoredPayment.PaymentFailureAccepted) }));
        });
    }

    [Test]
    public async Task A_writeback_event_loads_as_the_type_of_the_new_name()
    {
        var id = Guid.NewGuid();
        var (names, types) = await StoreAsOldVersionAndLoadAsync("writeback_stored_names", WritebackStoreForTests, id,
            [("PaymentStatusWrittenBack", "PaymentWrittenBack"), ("PaymentStatusReverted", "PaymentReversedInIntegration")],
            new StoredWriteback.PaymentStatusWrittenBack(id, "pay_old", "tenant-old", Guid.NewGuid(), IntegrationKind.QuickBooksOnline,
                PaymentWritebackStatus.Paid, ["qb-1"], [], At),
            new StoredWriteback.PaymentStatusReverted(id, "pay_old", "tenant-old", Guid.NewGuid(), ["qb-1"], At));

        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(new[] { "payment_written_back", "payment_reversed_in_integration" }));
            Assert.That(types, Is.EqualTo(new[] { typeof(StoredWriteback.PaymentStatusWrittenBack), typeof(StoredWriteback.PaymentStatusReverted) }));
        });
    }

    private static void WritebackStoreForTests(StoreOptions o) => WritebackStore.Configure(o);

    /// <summary>
    /// Appends the events with today's store, turns the rows into what the previous version wrote (its .NET type names
    /// beside the stored names), and reads them back: the stored names and the types they load as.
    /// </summary>
    private async Task<(string[] Names, Type[] Types)> StoreAsOldVersionAndLoadAsync(string schema, Action<StoreOptions> configure, Guid id,
        (string New, string Old)[] renames, params object[] events)
    {
        using var store = DocumentStore.For(o =>
        {
            EventStoreExtensions.ConfigureStore(o, _servers.Postgres, schema);
            configure(o);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(id, events);
            await session.SaveChangesAsync();
        }

        await using (var connection = new NpgsqlConnection(_servers.Postgres))
        {
            await connection.OpenAsync();
            foreach (var (now, old) in renames)
            {
                await using var rewrite = new NpgsqlCommand(
                    $"update {schema}.mt_events set mt_dotnet_type = replace(mt_dotnet_type, '.{now},', '.{old},') where stream_id = @id",
                    connection);
                rewrite.Parameters.AddWithValue("id", id);
                Assert.That(await rewrite.ExecuteNonQueryAsync(), Is.EqualTo(events.Length), "the rows of the stream");
            }

            await using var check = new NpgsqlCommand($"select count(*) from {schema}.mt_events where stream_id = @id and mt_dotnet_type like '%.{renames[0].Old},%'", connection);
            check.Parameters.AddWithValue("id", id);
            Assert.That(await check.ExecuteScalarAsync(), Is.EqualTo(1L), "the row now carries the previous version's .NET name");
        }

        await using var query = store.QuerySession();
        var loaded = await query.Events.FetchStreamAsync(id);
        return ([.. loaded.Select(e => e.EventTypeName)], [.. loaded.Select(e => e.Data.GetType())]);
    }
}
