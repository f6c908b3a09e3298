using Marten;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.EventSourcing.Store;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>InvoiceIngest's part of the event store as the tests read it: streams, views and a connection's sync cursor.</summary>
public sealed class IngestStore(string postgres) : IDisposable
{
    public DocumentStore Store { get; } = DocumentStore.For(o =>
    {
        EventStoreExtensions.ConfigureStore(o, postgres, InvoiceStore.Schema);
        InvoiceStore.Configure(o);
    });

    public async Task<SyncCursor?> CursorAsync(Guid connection)
    {
        await using var session = Store.QuerySession();
        return await session.LoadAsync<SyncCursor>(connection);
    }

    public async Task<long> EventCountAsync()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    public void Dispose() => Store.Dispose();
}
