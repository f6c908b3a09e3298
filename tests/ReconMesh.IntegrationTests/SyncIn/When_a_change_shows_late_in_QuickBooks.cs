using Marten;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.Integrations.Connections;
using ReconMesh.InvoiceIngest.Sync;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// Incremental passes of a source with bounded change reads (QuickBooks) read from a few seconds before its last answer,
/// not a minute before (issue #14: every pass read the last minute's changes again, thousands of invoices a pass at a
/// hundred payments a second). What it shows late, stamped before a pass's start but not in its answer, is still taken
/// in: each stretch of time is read once more when it is a minute old, and deletions are asked for from there.
/// </summary>
[TestFixture]
public sealed class When_a_change_shows_late_in_QuickBooks
{
    [Test]
    [CancelAfter(120_000)]
    public async Task Should_take_it_in_when_its_stretch_is_a_minute_old(CancellationToken cancellationToken)
    {
        await using var servers = await TestServers.StartAsync();
        var connection = new ConnectionSettings { Id = Guid.NewGuid(), TenantId = "tenant-settle", Kind = IntegrationKind.QuickBooksOnline };
        var clock = new SteppedClock(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        var source = new LateQuickBooks(connection, clock);
        using var ingest = new IngestStore(servers.Postgres);
        var store = ingest.Store;
        var sync = new InvoiceSync(store, [source], new SyncTrigger(), new InvoiceStreamGate(), clock);

        var began = clock.Now;
        await sync.RunAsync(connection, cancellationToken);          // the initial sync: invoice 1, open at 100
        clock.Step(TimeSpan.FromSeconds(30));
        await sync.RunAsync(connection, cancellationToken);          // reads from just before the initial sync began, settles the minute before
        var second = clock.Now;
        clock.Step(TimeSpan.FromSeconds(20));
        source.PaidLate = second.AddSeconds(-10);                    // paid before the second pass's answer, not shown to it
        await sync.RunAsync(connection, cancellationToken);          // the stretch it is in is not a minute old yet
        var heldBefore = await BalanceAsync(store, connection, cancellationToken);
        clock.Step(TimeSpan.FromMinutes(2));
        await sync.RunAsync(connection, cancellationToken);          // now it is

        using (Assert.EnterMultipleScope())
        {
            Assert.That(source.ChangedSince, Has.Count.EqualTo(3));
            Assert.That(source.ChangedSince[0], Is.EqualTo(began - InvoiceSync.FreshOverlap),
                "the first pass after the initial sync reads from a few seconds before it began, not a minute");
            Assert.That(source.ChangedSince[^1], Is.EqualTo(second.AddSeconds(20) - InvoiceSync.FreshOverlap),
                "a pass reads from a few seconds before the last answer, not a minute");
            Assert.That(source.DeletedSince[^1], Is.EqualTo(second - InvoiceSync.Overlap), "deletions from where settling stood");
            Assert.That(source.Settled, Is.EqualTo(new[]
                {
                    (began - InvoiceSync.Overlap, second - InvoiceSync.Overlap),
                    (second - InvoiceSync.Overlap, second.AddSeconds(140) - InvoiceSync.Overlap),
                }),
                "the second pass settles the minute before the initial sync began; the third leaves its 20 s for later; the fourth " +
                "settles all that is now a minute older than its answer");
            Assert.That(heldBefore, Is.EqualTo(100m));
            Assert.That(await BalanceAsync(store, connection, cancellationToken), Is.EqualTo(0m), "the late payment is taken in");
        }
    }

    private static async Task<decimal?> BalanceAsync(DocumentStore store, ConnectionSettings connection, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return (await session.LoadAsync<InvoiceView>(MeshIds.Invoice(connection.Id, "1"), cancellationToken))?.Invoice.Balance;
    }

    private sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; private set; } = start;

        public void Step(TimeSpan by) => Now += by;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>
    /// One invoice, paid at <see cref="PaidLate"/> but shown only to queries answered a minute after that: the change
    /// queries of later passes start after its stamp, and only a settling read of its stretch finds it.
    /// </summary>
    private sealed class LateQuickBooks(ConnectionSettings connection, SteppedClock clock) : IInvoiceSource, IBoundedChangeReads
    {
        public DateTimeOffset? PaidLate { get; set; }

        public List<DateTimeOffset> ChangedSince { get; } = [];

        public List<DateTimeOffset> DeletedSince { get; } = [];

        public List<(DateTimeOffset, DateTimeOffset)> Settled { get; } = [];

        public IntegrationKind Kind => IntegrationKind.QuickBooksOnline;

        public Task<InvoicePage> ReadAllAsync(ConnectionSettings c, int position, DateTimeOffset now, CancellationToken cancellationToken) =>
            Task.FromResult(Page([Invoice(100m)]));

        public Task<InvoicePage> ReadChangedAsync(ConnectionSettings c, DateTimeOffset since, int position, DateTimeOffset now,
            CancellationToken cancellationToken) => ReadChangedAsync(c, since, since, position, now, cancellationToken);

        public Task<InvoicePage> ReadChangedAsync(ConnectionSettings c, DateTimeOffset since, DateTimeOffset deletedSince, int position,
            DateTimeOffset now, CancellationToken cancellationToken)
        {
            ChangedSince.Add(since);
            DeletedSince.Add(deletedSince);
            return Task.FromResult(Page(Shown(since, DateTimeOffset.MaxValue)));
        }

        public Task<InvoicePage> ReadChangedBetweenAsync(ConnectionSettings c, DateTimeOffset since, DateTimeOffset until, int position,
            DateTimeOffset now, CancellationToken cancellationToken)
        {
            Settled.Add((since, until));
            return Task.FromResult(Page(Shown(since, until)));
        }

        /// <summary>The payment, if stamped in [since, until) and already visible.</summary>
        private List<InvoiceSnapshot> Shown(DateTimeOffset since, DateTimeOffset until) =>
            PaidLate is { } paid && paid >= since && paid < until && clock.Now >= paid + TimeSpan.FromMinutes(1) ? [Invoice(0m)] : [];

        private InvoicePage Page(List<InvoiceSnapshot> invoices) =>
            new(invoices, [], [], invoices.Count, null, 1 + invoices.Count, IsLast: true, AnsweredAt: clock.Now);

        private InvoiceSnapshot Invoice(decimal balance) =>
            new(MeshIds.Invoice(connection.Id, "1"), connection.TenantId, connection.Id, IntegrationKind.QuickBooksOnline, "1", "INV-1",
                "c1", "Customer", "USD", 100m, balance, new DateOnly(2026, 12, 1), null, [new InvoiceLine("work", 100m)]);
    }
}
