namespace ReconMesh.EventSourcing.Relay.Health;

/// <summary>How <see cref="RelayWatcher"/> watches the event relay (section <c>ReconMesh:Relay</c>).</summary>
public sealed class RelayHealthOptions
{
    public const string Section = "ReconMesh:Relay";

    /// <summary>How often the relay's status, position and the store's head are read.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the relay may stand still while events wait before it counts as stalled (not ready, and restarted).
    /// Lag alone is never a fault: under load the relay is behind but moving.
    /// </summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The wait before the first restart of a paused, stopped or stalled relay; it doubles with each attempt.</summary>
    public TimeSpan FirstRestartDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two restart attempts.</summary>
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromMinutes(2);
}
