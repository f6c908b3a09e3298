namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// QuickBooks' per-company limits: requests in a sliding 60-second window, and requests in flight at once.
/// A limit of 0 is off. Throttled requests do not count towards the window.
/// </summary>
internal sealed class QboThrottle(int requestsPerMinute, int maxConcurrent, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Queue<long> _admitted = new();
    private int _inFlight;

    public int RequestsPerMinute { get; } = requestsPerMinute;

    public int MaxConcurrent { get; } = maxConcurrent;

    public bool TryEnter()
    {
        lock (_gate)
        {
            if (RequestsPerMinute > 0)
            {
                var now = time.GetTimestamp();
                var window = time.TimestampFrequency * 60;
                while (_admitted.Count > 0 && now - _admitted.Peek() >= window)
                {
                    _admitted.Dequeue();
                }

                if (_admitted.Count >= RequestsPerMinute)
                {
                    return false;
                }
            }

            if (MaxConcurrent > 0 && _inFlight >= MaxConcurrent)
            {
                return false;
            }

            if (RequestsPerMinute > 0)
            {
                _admitted.Enqueue(time.GetTimestamp());
            }

            _inFlight++;
            return true;
        }
    }

    public void Exit()
    {
        lock (_gate)
        {
            _inFlight--;
        }
    }
}
