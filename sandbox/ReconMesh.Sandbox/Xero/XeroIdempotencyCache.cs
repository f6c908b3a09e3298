namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// The first answer to each <c>Idempotency-Key</c> of one organisation, with a fingerprint of the request it answered
/// (method, path, query and body), so a retried write gets the same bytes and a key reused for another request is
/// refused. Errors are kept too, as Xero keeps them. Bounded by age and count; only touched under the organisation's lock.
/// </summary>
internal sealed class XeroIdempotencyCache(int capacity, TimeSpan retention, TimeProvider time)
{
    private readonly Dictionary<string, (string Fingerprint, XeroHttpResponse Answer)> _answers = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset Stored)> _order = new();

    public int Count => _answers.Count;

    public bool TryGet(string key, out string fingerprint, out XeroHttpResponse answer)
    {
        var cutoff = time.GetUtcNow() - retention;
        while (_order.TryPeek(out var oldest) && oldest.Stored <= cutoff)
        {
            _answers.Remove(_order.Dequeue().Key);
        }

        var found = _answers.TryGetValue(key, out var entry);
        (fingerprint, answer) = found ? entry : ("", null!);
        return found;
    }

    public void Store(string key, string fingerprint, XeroHttpResponse answer)
    {
        if (capacity == 0 || !_answers.TryAdd(key, (fingerprint, answer)))
        {
            return;
        }

        _order.Enqueue((key, time.GetUtcNow()));
        while (_answers.Count > capacity)
        {
            _answers.Remove(_order.Dequeue().Key);
        }
    }
}
