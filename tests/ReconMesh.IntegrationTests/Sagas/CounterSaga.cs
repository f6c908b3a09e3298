using MassTransit;

namespace ReconMesh.IntegrationTests.Sagas;

/// <summary>A saga that only counts what it receives: any lost update shows as a missing number.</summary>
public sealed class CounterState : SagaStateMachineInstance, ISaga
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public List<int> Seen { get; set; } = [];
}

public sealed record CountThis(Guid CounterId, int Number);

public sealed class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => Count, e => e.CorrelateById(m => m.Message.CounterId));
        Initially(When(Count).Then(c => c.Saga.Seen.Add(c.Message.Number)).TransitionTo(Counting));
        During(Counting, When(Count).Then(c => c.Saga.Seen.Add(c.Message.Number)));
    }

    public State Counting { get; private set; } = null!;

    public Event<CountThis> Count { get; private set; } = null!;
}
