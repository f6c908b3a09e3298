namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// The first answer to each <c>requestid</c> of one company, so that a retried write gets exactly the same bytes
/// instead of being applied twice. QuickBooks does not keep requestids for ever, and neither does the simulator: an
/// answer is kept for <c>retention</c> after it was given and only the newest <c>capacity</c> answers are kept; an
/// older requestid counts as new. Only touched under the company's write lock.
/// </summary>
internal sealed class QboReplayCache(int capacity, TimeSpan retention, TimeProvider time)
{
    private readonly Dictionary<string, QboHttpResponse> _answers = new(StringComparer.Ordinal);
    private readonly Queue<(string RequestId, DateTimeOffset Stored)> _order = new();

    public int Count => _answers.Count;

    public bool TryGet(string requestId, out QboHttpResponse answer)
    {
        Expire();
        return _answers.TryGetValue(requestId, out answer!);
    }

    public void Store(string requestId, QboHttpResponse answer)
    {
        if (capacity == 0 || !_answers.TryAdd(requestId, answer))
        {
            return;
        }

        _order.Enqueue((requestId, time.GetUtcNow()));
        while (_answers.Count > capacity)
        {
            _answers.Remove(_order.Dequeue().RequestId);
        }
    }

    /// <summary>Forgets answers older than the retention (oldest first: the queue is in the order they were stored).</summary>
    private void Expire()
    {
        var cutoff = time.GetUtcNow() - retention;
        while (_order.TryPeek(out var oldest) && oldest.Stored <= cutoff)
        {
            _answers.Remove(_order.Dequeue().RequestId);
        }
    }
}
