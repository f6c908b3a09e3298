namespace ReconMesh.UnitTests.Http;

/// <summary>
/// A clock for the integration pipeline whose timers are noted, not waited for: a timer the test lets fire (a back-off,
/// a Retry-After, a timeout) fires at once, the others never. A timer set to no time (infinite, changed later) is noted
/// when it is given one. The wall clock is the system's.
/// </summary>
internal sealed class ScriptedTime(Func<TimeSpan, bool> fires) : TimeProvider
{
    private readonly List<TimeSpan> _scheduled = [];

    /// <summary>Every timer's due time, in the order they were set.</summary>
    public IReadOnlyList<TimeSpan> Scheduled
    {
        get
        {
            lock (_scheduled)
            {
                return [.. _scheduled];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(TimeSpan dueTime, Action fire)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        lock (_scheduled)
        {
            _scheduled.Add(dueTime);
        }

        if (fires(dueTime))
        {
            ThreadPool.QueueUserWorkItem(_ => fire());
        }
    }

    private sealed class Timer(ScriptedTime time, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            time.Schedule(dueTime, () =>
            {
                if (!Volatile.Read(ref _disposed))
                {
                    callback(state);
                }
            });
            return true;
        }

        public void Dispose() => Volatile.Write(ref _disposed, true);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
