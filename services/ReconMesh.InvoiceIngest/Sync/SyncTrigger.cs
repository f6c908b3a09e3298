using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

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

    /// <summary>The traces that woke a connection's sync (at most this many are kept until the pass takes them).</summary>
    private const int MaxCauses = 64;

    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<ActivityContext>> _causes = new();

    /// <summary>
    /// Wakes the sync because of something traced (a payment written back): the pass that follows belongs to the first
    /// such trace and links the others, so one payment's trace reaches the read that confirms it.
    /// </summary>
    public void Wake(Guid connectionId, ActivityContext cause)
    {
        var causes = _causes.GetOrAdd(connectionId, _ => new ConcurrentQueue<ActivityContext>());
        if (cause != default && causes.Count < MaxCauses)
        {
            causes.Enqueue(cause);
        }

        Wake(connectionId);
    }

    private readonly ConcurrentDictionary<Guid, StrongBox<int>> _writtenBack = new();

    /// <summary>
    /// Counts invoices written back to a connection since its last pass, and wakes its sync (because of
    /// <paramref name="cause"/>) when they reach <paramref name="wakeAt"/>: their confirming read is then about that size.
    /// </summary>
    public void WrittenBack(Guid connectionId, int invoices, int wakeAt, ActivityContext cause)
    {
        var count = _writtenBack.GetOrAdd(connectionId, _ => new StrongBox<int>());
        var total = Interlocked.Add(ref count.Value, invoices);
        if (wakeAt > 0 && total >= wakeAt && total - invoices < wakeAt)
        {
            Wake(connectionId, cause);
        }
    }

    /// <summary>Takes the traces that woke the connection's sync since the last pass; the pass reads what was written back so far.</summary>
    public IReadOnlyList<ActivityContext> TakeCauses(Guid connectionId)
    {
        if (_writtenBack.TryGetValue(connectionId, out var written))
        {
            Interlocked.Exchange(ref written.Value, 0);
        }

        if (!_causes.TryGetValue(connectionId, out var causes))
        {
            return [];
        }

        var taken = new List<ActivityContext>();
        while (causes.TryDequeue(out var cause))
        {
            taken.Add(cause);
        }

        return taken;
    }

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
