using System.Collections.Concurrent;

namespace ReconMesh.WritebackService.Invoices;

/// <summary>
/// Connections that invoices named and this deployment still did not know after the directory's quick retries, and
/// since when. Further invoices of such a connection wait aside at once: the quick retries hold the directory's one
/// batch slot, and a backlog of thousands retried batch by batch kept every other tenant's invoices behind it (issue
/// #16's fairness). Only the quick retries are skipped: each invoice's connection is still looked up first, so one
/// announced meanwhile is taken at once. Bounded: a flood of made-up connection ids forgets the oldest, not the process.
/// </summary>
public sealed class UnknownConnections(TimeProvider clock)
{
    /// <summary>How long a connection confirmed unknown is taken for unknown without the quick retries again.</summary>
    public static readonly TimeSpan Remembered = TimeSpan.FromMinutes(1);

    /// <summary>At most this many connections are remembered; past it, the memory starts again.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _since = new();

    /// <summary>The quick retries are over for this connection, and it is still not known.</summary>
    public void Confirm(Guid connectionId)
    {
        if (_since.Count >= Capacity)
        {
            _since.Clear();
        }

        _since[connectionId] = clock.GetUtcNow();
    }

    public bool RecentlyConfirmed(Guid connectionId) => _since.TryGetValue(connectionId, out var at) && clock.GetUtcNow() - at < Remembered;
}
