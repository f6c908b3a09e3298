using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ReconMesh.EventSourcing.Store;

/// <summary>
/// Keeps a stream's state document inline with every append, folded by the decider's own pure Evolve function, so
/// the state a consumer loads is exactly the state the rules are tested on. (Marten's conventional Apply methods would
/// need its source generator in the assembly of the state type, which must not reference Marten.)
/// <para>
/// A state folded from a few event types only names them (the constructor's <c>only</c>): Marten then leaves the store's other
/// streams alone, where it would otherwise read the document of every stream a transaction appends to, to find none.
/// </para>
/// </summary>
public sealed class DeciderProjection<TState> : SingleStreamProjection<TState, Guid>
    where TState : class
{
    private readonly Func<TState?, Guid, object, TState?> _evolve;

    public DeciderProjection(Func<TState?, Guid, object, TState?> evolve, params Type[] only)
    {
        _evolve = evolve;
        foreach (var type in only)
        {
            IncludeType(type);
        }
    }

    public override TState? Evolve(TState? snapshot, Guid id, IEvent e) => _evolve(snapshot, id, e.Data);
}
