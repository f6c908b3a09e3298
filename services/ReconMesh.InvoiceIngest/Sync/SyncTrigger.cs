using System.Collections.Concurrent;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>Lets a webhook wake a connection's sync loop at once instead of at its next poll.</summary>
public sealed class SyncTrigger
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _signals = new();

    public void Wake(Guid connectionId) => Signal(connectionId).Release();

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
