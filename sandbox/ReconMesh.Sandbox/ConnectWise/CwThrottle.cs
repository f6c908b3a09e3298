namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// A per-site limit of requests in a sliding 60-second window (0 is off). Throttled requests do not count towards
/// the window. Time comes from the <see cref="TimeProvider"/>, so tests can drive it.
/// </summary>
internal sealed class CwThrottle(int requestsPerMinute, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _admitted = new();

    public int RequestsPerMinute { get; } = requestsPerMinute;

    /// <summary>Admits a request, or says how many whole seconds until one would be admitted.</summary>
    public bool TryEnter(out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (RequestsPerMinute <= 0)
        {
            return true;
        }

        lock (_gate)
        {
            var now = time.GetUtcNow();
            while (_admitted.Count > 0 && now - _admitted.Peek() >= Window)
            {
                _admitted.Dequeue();
            }

            if (_admitted.Count >= RequestsPerMinute)
            {
                var wait = _admitted.Peek() + Window - now;
                retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                return false;
            }

            _admitted.Enqueue(now);
            return true;
        }
    }
}
