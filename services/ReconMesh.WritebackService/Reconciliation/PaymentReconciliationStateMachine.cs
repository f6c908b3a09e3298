using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Sagas;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// One payment's way into the books: accepted by the mesh, written back to its integration, then applied — or
/// parked as needing attention with the reason. Every transition is caused by an event recorded in a stream first.
/// </summary>
public sealed class PaymentReconciliationStateMachine : MassTransitStateMachine<PaymentReconciliation>
{
    public PaymentReconciliationStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Accepted, e => e.CorrelateById(m => m.Message.MeshPaymentId));
        Event(() => WrittenBack, e => e.CorrelateById(m => m.Message.MeshPaymentId));
        Event(() => Failed, e => e.CorrelateById(m => m.Message.MeshPaymentId));

        Initially(
            When(Accepted)
                .Then(c =>
                {
                    var m = c.Message;
                    c.Saga.PaymentId = m.PaymentId;
                    c.Saga.TenantId = m.TenantId;
                    c.Saga.Currency = m.Currency;
                    c.Saga.Amount = m.Amount;
                    c.Saga.Allocations = [.. m.Allocations];
                    c.Saga.ProcessedAt = m.ProcessedAt;
                    c.Saga.StartedAt = c.Saga.UpdatedAt = DateTimeOffset.UtcNow;
                })
                .Publish(c => new WritePaymentBack(
                    c.Saga.CorrelationId, c.Saga.PaymentId, c.Saga.TenantId, c.Saga.Currency, c.Saga.ProcessedAt, c.Saga.Allocations))
                .TransitionTo(WritingBack));

        During(WritingBack,
            Ignore(Accepted),
            When(WrittenBack)
                .Then(c =>
                {
                    c.Saga.ExternalPaymentIds = [.. c.Message.ExternalPaymentIds];
                    c.Saga.WrittenStatus = c.Message.Status;
                    c.Saga.UpdatedAt = DateTimeOffset.UtcNow;
                })
                .TransitionTo(Applied),
            When(Failed)
                .Then(c =>
                {
                    c.Saga.ReasonCode = c.Message.ReasonCode;
                    c.Saga.Reason = c.Message.Reason;
                    c.Saga.UpdatedAt = DateTimeOffset.UtcNow;
                })
                .TransitionTo(NeedsAttention));

        // Redeliveries of what already happened change nothing.
        During(Applied, Ignore(Accepted), Ignore(WrittenBack), Ignore(Failed));
        During(NeedsAttention, Ignore(Accepted), Ignore(WrittenBack), Ignore(Failed));
    }

    public State WritingBack { get; private set; } = null!;

    public State Applied { get; private set; } = null!;

    public State NeedsAttention { get; private set; } = null!;

    public Event<PaymentAccepted> Accepted { get; private set; } = null!;

    public Event<PaymentStatusWrittenBack> WrittenBack { get; private set; } = null!;

    public Event<WritebackFailed> Failed { get; private set; } = null!;
}

public sealed class PaymentReconciliationDefinition : SagaDefinition<PaymentReconciliation>
{
    public PaymentReconciliationDefinition()
    {
        EndpointName = "writeback.payment-reconciliation";
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<PaymentReconciliation> sagaConfigurator, IRegistrationContext context) =>
        SagaEndpointPolicy.Apply(endpointConfigurator, context);
}
