namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Xero's per-organisation limits: calls in a sliding 60-second window, calls in a day (a fixed window that starts
/// with the first call and lasts 24 hours), and calls in flight at once. A limit of 0 is off; the limits can be changed
/// at run time (admin API). Refused calls count towards nothing. Follows the injected clock, so tests move time by hand.
/// </summary>
internal sealed class XeroThrottle(int perMinute, int maxConcurrent, int perDay, TimeProvider time)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _minute = new();
    private DateTimeOffset? _dayStart;
    private int _dayCount;
    private int _inFlight;

    public int PerMinute { get; private set; } = perMinute;

    public int MaxConcurrent { get; private set; } = maxConcurrent;

    public int PerDay { get; private set; } = perDay;

    public void Configure(int? perMinute, int? maxConcurrent, int? perDay)
    {
        lock (_gate)
        {
            PerMinute = perMinute ?? PerMinute;
            MaxConcurrent = maxConcurrent ?? MaxConcurrent;
            PerDay = perDay ?? PerDay;
        }
    }

    public XeroThrottleDecision TryEnter()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            while (_minute.TryPeek(out var oldest) && now - oldest >= Minute)
            {
                _minute.Dequeue();
            }

            if (_dayStart is { } start && now - start >= Day)
            {
                _dayStart = null;
                _dayCount = 0;
            }

            if (PerDay > 0 && _dayCount >= PerDay)
            {
                return Refused("day", _dayStart!.Value + Day - now);
            }

            if (PerMinute > 0 && _minute.Count >= PerMinute)
            {
                return Refused("minute", _minute.Peek() + Minute - now);
            }

            if (MaxConcurrent > 0 && _inFlight >= MaxConcurrent)
            {
                return new XeroThrottleDecision(false, "concurrent", null, null, null);
            }

            _minute.Enqueue(now);
            _dayStart ??= now;
            _dayCount++;
            _inFlight++;
            return new XeroThrottleDecision(true, null, null,
                PerMinute > 0 ? PerMinute - _minute.Count : null,
                PerDay > 0 ? PerDay - _dayCount : null);
        }
    }

    public void Exit()
    {
        lock (_gate)
        {
            _inFlight--;
        }
    }

    private static XeroThrottleDecision Refused(string problem, TimeSpan wait) =>
        new(false, problem, Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)), null, null);
}
