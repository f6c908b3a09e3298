namespace ReconMesh.EventSourcing.Relay;

/// <summary>
/// How soon the event relay follows an append (section <c>ReconMesh:Relay</c>, beside <see cref="Health.RelayHealthOptions"/>).
/// </summary>
public sealed class RelayPaceOptions
{
    public const string Section = Health.RelayHealthOptions.Section;

    /// <summary>The longest <see cref="Gather"/> a service may be given: beyond it the relay would lag for no further saving.</summary>
    public static readonly TimeSpan MaxGather = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the relay waits, once woken by an append, before it reads the store (<see cref="Store.GatheringWakeup"/>):
    /// the appends of those moments are then relayed in the same page. A page costs PostgreSQL the same handful of
    /// statements (the high-water mark, its gap check, the read, the progression) whether it holds one event or hundreds,
    /// and its events reach their consumers together, in their batches. Zero follows each append at once; each service
    /// sets its own default by whether its events are on a payment's way to the books (<see cref="EventRelayExtensions.AddEventRelay{TMap}"/>).
    /// </summary>
    public TimeSpan Gather { get; set; }
}
