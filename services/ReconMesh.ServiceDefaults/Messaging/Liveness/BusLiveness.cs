namespace ReconMesh.ServiceDefaults.Messaging.Liveness;

/// <summary>What a reading of the bus says about the process: pure, so each rule is tested on its own.</summary>
public enum BusVerdict
{
    /// <summary>Every receive endpoint is consuming.</summary>
    Healthy,

    /// <summary>Not healthy, but not for long: reconnecting after a broker fault is the client's own business.</summary>
    Recovering,

    /// <summary>Not healthy for long, and the broker is away too: a restart would not help, so the process stays live.</summary>
    BrokerAway,

    /// <summary>Not healthy for long while the broker serves a new connection: the client will not heal; only a restart does.</summary>
    Stuck,
}

public static class BusLiveness
{
    /// <summary>
    /// Whether the broker must be asked before judging: only once the bus has been short of healthy for longer than
    /// <paramref name="stuckAfter"/> (so a healthy mesh never opens an extra connection).
    /// </summary>
    public static bool NeedsBrokerAnswer(bool healthy, TimeSpan sinceHealthy, TimeSpan stuckAfter) => !healthy && sinceHealthy > stuckAfter;

    /// <summary>
    /// The moment the bus's time short of healthy is counted from, after a reading: now when the bus is healthy, and now
    /// when the broker was just found away (the client then has the whole limit from the broker's return to reconnect,
    /// so a long outage ends without restarts); otherwise unchanged.
    /// </summary>
    public static DateTimeOffset CountFrom(DateTimeOffset countedFrom, DateTimeOffset now, bool healthy, bool? brokerAnswers) =>
        healthy || brokerAnswers == false ? now : countedFrom;

    /// <summary>
    /// The verdict on one reading: <paramref name="healthy"/> the bus's own status now, <paramref name="sinceHealthy"/> the
    /// time since <see cref="CountFrom"/> (it was last healthy, the broker was last away, or the process started), <paramref name="brokerAnswers"/> whether the broker
    /// accepted a new connection (null when it was not asked).
    /// </summary>
    public static BusVerdict Judge(bool healthy, TimeSpan sinceHealthy, TimeSpan stuckAfter, bool? brokerAnswers) =>
        healthy ? BusVerdict.Healthy
        : !NeedsBrokerAnswer(healthy, sinceHealthy, stuckAfter) ? BusVerdict.Recovering
        : brokerAnswers == true ? BusVerdict.Stuck
        : BusVerdict.BrokerAway;
}
