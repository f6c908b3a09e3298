using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ReconMesh.EventSourcing.Store;

/// <summary>
/// Keeps a stream's state document inline with every append, folded by the decider's own pure Evolve function, so
/// the state a consumer loads is exactly the state the rules are tested on. (Marten's conventional Apply methods would
/// need its source generator in the assembly of the state type, which must not reference Marten.)
/// </summary>
public sealed class DeciderProjection<TState>(Func<TState?, Guid, object, TState?> evolve) : SingleStreamProjection<TState, Guid>
    where TState : class
{
    public override TState? Evolve(TState? snapshot, Guid id, IEvent e) => evolve(snapshot, id, e.Data);
}
