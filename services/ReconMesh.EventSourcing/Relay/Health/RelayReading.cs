using JasperFx;

namespace ReconMesh.EventSourcing.Relay.Health;

/// <summary>
/// One look at the event relay. <paramref name="Holds"/>: this node holds the daemon's leadership lock for the relay, so
/// it is the one that must run it (hot/cold). <paramref name="Status"/> is the agent's on that node (Stopped when it has
/// no agent). <paramref name="Position"/> is the relay's committed progression; <paramref name="Head"/> the highest
/// event sequence in the store; <paramref name="StillSince"/> when the position last moved (or events started waiting).
/// </summary>
public sealed record RelayReading(bool Holds, AgentStatus Status, long Position, long Head, DateTimeOffset StillSince, DateTimeOffset At)
{
    /// <summary>Events appended but not yet relayed (sequence numbers; a rolled-back append leaves a gap counted here until passed).</summary>
    public long Lag => Math.Max(0, Head - Position);

    /// <summary>On the node that holds it, the relay is not running.</summary>
    public bool Down => Holds && Status != AgentStatus.Running;

    /// <summary>Events wait and the position has not moved for <paramref name="stallAfter"/>.</summary>
    public bool StalledFor(TimeSpan stallAfter) => Lag > 0 && At - StillSince >= stallAfter;
}
