namespace ReconMesh.Sandbox.Autotask;

/// <summary>What the throttle said about one call: admitted (with the latency to add), or refused by the hourly block or the thread limit.</summary>
internal readonly record struct AutotaskThrottleDecision(bool Admitted, AutotaskRefusal Refusal, int LatencyMs);

internal enum AutotaskRefusal
{
    None,
    HourlyThreshold,
    ThreadLimit,
}

/// <summary>
/// A database's limits. The request threshold counts calls in a rolling 60 minutes across every integration code of
/// the database; from 50% of it each call waits <c>HalfUseLatencyMs</c>, from 75% <c>ThreeQuarterUseLatencyMs</c>,
/// and at 100% calls are refused until the hour rolls on. The thread limit counts calls in flight per integration
/// code and object endpoint (Invoices, Companies, …). 0 turns a limit off; limits change at run time (admin API).
/// Refused calls count towards nothing. The hour is kept as calls per second, so memory stays bounded with the
/// threshold off. Follows the injected clock, so tests move time by hand.
/// </summary>
internal sealed class AutotaskThrottle(int perHour, int threads, int halfUseLatencyMs, int threeQuarterUseLatencyMs, TimeProvider time)
{
    private const long HourSeconds = 3600;

    private readonly Lock _gate = new();

    /// <summary>Calls of the rolling hour counted per second (at most 3,600 entries however many calls), oldest first.</summary>
    private readonly Queue<(long Second, int Calls)> _hour = new();
    private long _tailSecond = long.MinValue;
    private int _tailCalls;
    private int _used;
    private readonly Dictionary<(string Code, string Endpoint), int> _inFlight = [];

    public int PerHour { get; private set; } = perHour;

    public int ThreadsPerEndpoint { get; private set; } = threads;

    public int HalfUseLatencyMs { get; private set; } = halfUseLatencyMs;

    public int ThreeQuarterUseLatencyMs { get; private set; } = threeQuarterUseLatencyMs;

    public void Configure(int? perHour, int? threads, int? halfUseLatencyMs, int? threeQuarterUseLatencyMs)
    {
        lock (_gate)
        {
            PerHour = perHour ?? PerHour;
            ThreadsPerEndpoint = threads ?? ThreadsPerEndpoint;
            HalfUseLatencyMs = halfUseLatencyMs ?? HalfUseLatencyMs;
            ThreeQuarterUseLatencyMs = threeQuarterUseLatencyMs ?? ThreeQuarterUseLatencyMs;
        }
    }

    /// <summary>Calls counted in the current rolling hour.</summary>
    public int Used()
    {
        lock (_gate)
        {
            Roll(time.GetUtcNow());
            return _used;
        }
    }

    /// <summary>Counts <paramref name="calls"/> made now by other integrations of the database (they share the hour).</summary>
    public void Consume(int calls)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            Roll(now);
            Count(now, calls);
        }
    }

    public AutotaskThrottleDecision TryEnter(string code, string endpoint)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            Roll(now);
            if (PerHour > 0 && _used >= PerHour)
            {
                return new AutotaskThrottleDecision(false, AutotaskRefusal.HourlyThreshold, 0);
            }

            var key = (code.ToUpperInvariant(), endpoint);
            var inFlight = _inFlight.GetValueOrDefault(key);
            if (ThreadsPerEndpoint > 0 && inFlight >= ThreadsPerEndpoint)
            {
                return new AutotaskThrottleDecision(false, AutotaskRefusal.ThreadLimit, 0);
            }

            var latency = PerHour <= 0 ? 0
                : (long)_used * 4 >= (long)PerHour * 3 ? ThreeQuarterUseLatencyMs
                : (long)_used * 2 >= PerHour ? HalfUseLatencyMs
                : 0;
            Count(now, 1);
            _inFlight[key] = inFlight + 1;
            return new AutotaskThrottleDecision(true, AutotaskRefusal.None, latency);
        }
    }

    public void Exit(string code, string endpoint)
    {
        lock (_gate)
        {
            var key = (code.ToUpperInvariant(), endpoint);
            if (_inFlight.TryGetValue(key, out var count))
            {
                if (count <= 1)
                {
                    _inFlight.Remove(key);
                }
                else
                {
                    _inFlight[key] = count - 1;
                }
            }
        }
    }

    private void Roll(DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        while (_hour.TryPeek(out var oldest) && second - oldest.Second >= HourSeconds)
        {
            _used -= _hour.Dequeue().Calls;
        }

        if (_tailCalls > 0 && second - _tailSecond >= HourSeconds)
        {
            _used -= _tailCalls;
            _tailCalls = 0;
        }
    }

    /// <summary>More calls in this second: added to the newest bucket, which joins the queue once a later second starts.</summary>
    private void Count(DateTimeOffset now, int calls)
    {
        var second = now.ToUnixTimeSeconds();
        if (second != _tailSecond)
        {
            if (_tailCalls > 0)
            {
                _hour.Enqueue((_tailSecond, _tailCalls));
            }

            (_tailSecond, _tailCalls) = (second, 0);
        }

        _tailCalls += calls;
        _used += calls;
    }
}
