using System.Collections.Concurrent;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// Lets a webhook, a callback or an operator wake a connection's sync loop at once instead of at its next poll, and
/// hands the loop what they asked for: invoices a callback says were deleted, and a reconciliation an operator wants
/// now. Held by this replica only; what a lost hint would have found, the scheduled reconciliation finds.
/// </summary>
public sealed class SyncTrigger
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _signals = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, byte>> _suspects = new();
    private readonly ConcurrentDictionary<Guid, byte> _reconcile = new();

    public void Wake(Guid connectionId) => Signal(connectionId).Release();

    /// <summary>A callback says the integration deleted the invoice: the next pass checks that it is gone and archives it.</summary>
    public void SuspectDeleted(Guid connectionId, string externalId)
    {
        _suspects.GetOrAdd(connectionId, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))[externalId] = 0;
        Wake(connectionId);
    }

    /// <summary>Takes the invoices suspected deleted; hand them back with <see cref="ReturnSuspects"/> if checking them failed.</summary>
    public IReadOnlyCollection<string> TakeSuspects(Guid connectionId)
    {
        if (!_suspects.TryGetValue(connectionId, out var suspects))
        {
            return [];
        }

        var taken = new List<string>();
        foreach (var id in suspects.Keys)
        {
            if (suspects.TryRemove(id, out _))
            {
                taken.Add(id);
            }
        }

        return taken;
    }

    public void ReturnSuspects(Guid connectionId, IEnumerable<string> externalIds)
    {
        var suspects = _suspects.GetOrAdd(connectionId, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        foreach (var id in externalIds)
        {
            suspects[id] = 0;
        }
    }

    /// <summary>An operator asks for a reconciliation now rather than on its schedule.</summary>
    public void RequestReconciliation(Guid connectionId)
    {
        _reconcile[connectionId] = 0;
        Wake(connectionId);
    }

    public bool TakeReconciliationRequest(Guid connectionId) => _reconcile.TryRemove(connectionId, out _);

    /// <summary>Waits until woken or <paramref name="timeout"/> passes; several wake-ups collapse into one sync.</summary>
    public async Task WaitAsync(Guid connectionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = Signal(connectionId);
        if (await signal.WaitAsync(timeout, cancellationToken))
        {
            while (signal.CurrentCount > 0 && signal.Wait(0, CancellationToken.None))
            {
            }
        }
    }

    private SemaphoreSlim Signal(Guid connectionId) => _signals.GetOrAdd(connectionId, _ => new SemaphoreSlim(0));
}
