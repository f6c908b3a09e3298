using JasperFx.Events;

namespace ReconMesh.EventSourcing.Relay;

/// <summary>
/// Says which stored events become which contract messages on the bus. Stream events stay the service's own
/// vocabulary; only what the map returns reaches other services and connector teams.
/// </summary>
public interface IEventMessageMap
{
    /// <summary>The message to publish for <paramref name="stored"/>, or null to keep it internal.</summary>
    object? ToMessage(IEvent stored);
}
