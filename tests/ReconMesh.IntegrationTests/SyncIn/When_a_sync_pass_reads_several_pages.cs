using Marten;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.EventSourcing.Store;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.Integrations.Connections;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.InvoiceIngest.Sync;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// A pass of several pages asks the integration for the next page while it saves the one before (issue #14: the
/// integration's answer and the store's transaction overlap instead of taking turns), and still saves every page, in
/// order, with the cursor after it.
/// </summary>
[TestFixture]
public sealed class When_a_sync_pass_reads_several_pages
{
    [Test]
    [CancelAfter(120_000)]
    public async Task Should_read_the_next_page_while_the_one_before_is_saved(CancellationToken cancellationToken)
    {
        await using var servers = await TestServers.StartAsync();
        var connection = new ConnectionSettings { Id = Guid.NewGuid(), TenantId = "tenant-read-ahead", Kind = IntegrationKind.QuickBooksOnline };
        var source = new ThreePages(connection);
        // The first page's transaction waits until the second page has been asked for: a pass that reads only after
        // saving never gets there.
        var listener = new SaveWaitsFor(source.SecondPageAsked.Task);
        using var store = DocumentStore.For(o =>
        {
            EventStoreExtensions.ConfigureStore(o, servers.Postgres, InvoiceStore.Schema);
            InvoiceStore.Configure(o);
            o.Listeners.Add(listener);
        });
        var sync = new InvoiceSync(store, [source], new SyncTrigger(), new InvoiceStreamGate(), TimeProvider.System);

        var result = await sync.RunAsync(connection, cancellationToken).WaitAsync(cancellationToken);

        await using var session = store.QuerySession();
        var cursor = await session.LoadAsync<SyncCursor>(connection.Id, cancellationToken);
        var held = await session.Query<InvoiceView>().CountAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.PagesRead, Is.EqualTo(3));
            Assert.That(source.Positions, Is.EqualTo(new[] { 1, 3, 5 }), "each page read once, in order");
            Assert.That(held, Is.EqualTo(5));
            Assert.That(cursor?.InitialSyncComplete, Is.True);
        }
    }

    /// <summary>Five open invoices on pages of two (positions 1, 3, 5).</summary>
    private sealed class ThreePages(ConnectionSettings connection) : IInvoiceSource
    {
        public TaskCompletionSource SecondPageAsked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int> Positions { get; } = [];

        public IntegrationKind Kind => IntegrationKind.QuickBooksOnline;

        public Task<InvoicePage> ReadAllAsync(ConnectionSettings c, int position, DateTimeOffset now, CancellationToken cancellationToken)
        {
            lock (Positions)
            {
                Positions.Add(position);
            }

            if (position == 3)
            {
                SecondPageAsked.TrySetResult();
            }

            var invoices = Enumerable.Range(position, Math.Min(2, 6 - position)).Select(Invoice).ToList();
            return Task.FromResult(new InvoicePage(invoices, [], [], invoices.Count, now, position + invoices.Count, position == 5));
        }

        public Task<InvoicePage> ReadChangedAsync(ConnectionSettings c, DateTimeOffset since, int position, DateTimeOffset now,
            CancellationToken cancellationToken) => Task.FromResult(new InvoicePage([], [], [], 0, null, 1, true));

        private InvoiceSnapshot Invoice(int n) =>
            new(MeshIds.Invoice(connection.Id, $"{n}"), connection.TenantId, connection.Id, IntegrationKind.QuickBooksOnline, $"{n}", $"INV-{n}",
                "c1", "Customer", "USD", 100m, 100m, new DateOnly(2026, 12, 1), null, [new InvoiceLine("work", 100m)]);
    }

    /// <summary>Holds the first transaction of the store until <paramref name="released"/> completes.</summary>
    private sealed class SaveWaitsFor(Task released) : DocumentSessionListenerBase
    {
        private int _saves;

        public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            if (Interlocked.Increment(ref _saves) == 1)
            {
                await released.WaitAsync(token);
            }
        }
    }
}
