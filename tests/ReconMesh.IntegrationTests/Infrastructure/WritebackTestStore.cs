using Marten;
using ReconMesh.EventSourcing.Store;
using ReconMesh.WritebackService;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>WritebackService's event store on the test servers, in a schema of its own, opened directly (no service).</summary>
public sealed class WritebackTestStore : IAsyncDisposable
{
    private WritebackTestStore(TestServers servers, DocumentStore store)
    {
        Servers = servers;
        Store = store;
    }

    public TestServers Servers { get; }

    public DocumentStore Store { get; }

    public static async Task<WritebackTestStore> StartAsync(string schema)
    {
        var servers = await TestServers.StartAsync();
        var store = DocumentStore.For(o =>
        {
            EventStoreExtensions.ConfigureStore(o, servers.Postgres, schema);
            WritebackStore.Configure(o);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return new WritebackTestStore(servers, store);
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await Servers.DisposeAsync();
    }
}
