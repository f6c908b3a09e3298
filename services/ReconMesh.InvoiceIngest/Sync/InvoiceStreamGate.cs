using System.Collections.Concurrent;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// In this replica, one writer at a time to a connection's invoice streams: a sync pass deciding and saving a page, or
/// a batch of written-back balances. Both decide on the streams' versions and append at them, so without it they
/// keep failing each other's appends under load (each then decides again). Held only around load → decide → save,
/// never across a call to the integration. Replicas still race, rarely, and the expected versions settle that.
/// </summary>
public sealed class InvoiceStreamGate
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();

    /// <summary>Enters the gates of <paramref name="connectionIds"/> in a fixed order, so two writers never wait on each other.</summary>
    public async Task<IAsyncDisposable> EnterAsync(IEnumerable<Guid> connectionIds, CancellationToken cancellationToken)
    {
        var entered = new List<SemaphoreSlim>();
        try
        {
            foreach (var id in connectionIds.Distinct().Order())
            {
                var gate = _gates.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
                await gate.WaitAsync(cancellationToken);
                entered.Add(gate);
            }

            return new Held(entered);
        }
        catch
        {
            Release(entered);
            throw;
        }
    }

    private static void Release(List<SemaphoreSlim> entered)
    {
        foreach (var gate in entered)
        {
            gate.Release();
        }
    }

    private sealed class Held(List<SemaphoreSlim> entered) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Release(entered);
            return ValueTask.CompletedTask;
        }
    }
}
