using Marten;
using Npgsql;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.EventSourcing.Store;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.WritebackService;
using ReconMesh.WritebackService.Reconciliation;
using Stored = ReconMesh.Domain.Writeback;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// Two writeback stream events took their contract's name (<c>PaymentWrittenBack</c> is now
/// <see cref="Stored.PaymentStatusWrittenBack"/>, <c>PaymentReversedInIntegration</c> is now
/// <see cref="Stored.PaymentStatusReverted"/>). Their stored names are WritebackStore's, so the rows the previous version
/// wrote (its stored name, its .NET type name) load as the new types, and new rows are stored under the same names.
/// </summary>
[TestFixture]
public sealed class When_a_writeback_event_was_stored_under_its_old_name
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private TestServers _servers = null!;
    private DocumentStore _store = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _store = DocumentStore.For(o =>
        {
            EventStoreExtensions.ConfigureStore(o, _servers.Postgres, "writeback_stored_names");
            WritebackStore.Configure(o);
            o.Schema.For<PaymentReconciliation>().Identity(x => x.CorrelationId); // as the saga repository registers it
        });
        await _store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _store.Dispose();
        await _servers.DisposeAsync();
    }

    [Test]
    public async Task It_loads_as_the_type_of_the_new_name()
    {
        var id = Guid.NewGuid();
        await using (var session = _store.LightweightSession())
        {
            session.Events.StartStream(id,
                new Stored.PaymentStatusWrittenBack(id, "pay_old", "tenant-old", Guid.NewGuid(), IntegrationKind.QuickBooksOnline,
                    PaymentWritebackStatus.Paid, ["qb-1"], [], At),
                new Stored.PaymentStatusReverted(id, "pay_old", "tenant-old", Guid.NewGuid(), ["qb-1"], At));
            await session.SaveChangesAsync();
        }

        // Make the rows what the previous version wrote: its .NET type names beside the stored names.
        await using (var connection = new NpgsqlConnection(_servers.Postgres))
        {
            await connection.OpenAsync();
            await using var rewrite = new NpgsqlCommand("""
                update writeback_stored_names.mt_events
                set mt_dotnet_type = replace(replace(mt_dotnet_type, 'PaymentStatusWrittenBack', 'PaymentWrittenBack'),
                                             'PaymentStatusReverted', 'PaymentReversedInIntegration')
                where stream_id = @id
                """, connection);
            rewrite.Parameters.AddWithValue("id", id);
            Assert.That(await rewrite.ExecuteNonQueryAsync(), Is.EqualTo(2));
        }

        await using var query = _store.QuerySession();
        var events = await query.Events.FetchStreamAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.EventTypeName), Is.EqualTo(new[] { "payment_written_back", "payment_reversed_in_integration" }));
            Assert.That(events.Select(e => e.Data.GetType()), Is.EqualTo(new[] { typeof(Stored.PaymentStatusWrittenBack), typeof(Stored.PaymentStatusReverted) }));
            Assert.That(((Stored.PaymentStatusWrittenBack)events[0].Data).ExternalPaymentIds, Is.EqualTo(new[] { "qb-1" }));
        });
    }
}
