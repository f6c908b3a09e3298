using Marten;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.EventSourcing.Sagas;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// The events a payment's reconciliation hears, one at a time (acceptances and written-back payments come many at a
/// time, to <see cref="PaymentAcceptedBatchConsumer"/> and <see cref="PaymentWrittenBackBatchConsumer"/>): load the reconciliation, decide
/// (<see cref="PaymentReconciliationDecider"/>), store it at the version it was read, send the commands. A lost race with
/// another event for the same payment is retried against the fresh state (<see cref="SagaEndpointPolicy"/>); the commands
/// leave only once the consume succeeded (the endpoint's in-memory outbox).
/// </summary>
public sealed class PaymentReconciliationConsumer(IDocumentSession session, TimeProvider clock) :
    IConsumer<WritebackFailed>, IConsumer<PaymentFailureAccepted>,
    IConsumer<PaymentStatusReverted>, IConsumer<ExceptionRetryRequested>, IConsumer<ExceptionDismissed>, IConsumer<WritebackAwaitingInvoices>,
    IConsumer<AwaitedInvoicesSynced>
{
    public Task Consume(ConsumeContext<WritebackFailed> context) => HandleAsync(context, context.Message.MeshPaymentId);

    public Task Consume(ConsumeContext<PaymentFailureAccepted> context) => HandleAsync(context, context.Message.MeshPaymentId);

    public Task Consume(ConsumeContext<PaymentStatusReverted> context) => HandleAsync(context, context.Message.MeshPaymentId);

    public Task Consume(ConsumeContext<ExceptionRetryRequested> context) => HandleAsync(context, context.Message.MeshPaymentId);

    public Task Consume(ConsumeContext<ExceptionDismissed> context) => HandleAsync(context, context.Message.MeshPaymentId);

    public Task Consume(ConsumeContext<WritebackAwaitingInvoices> context) => HandleAsync(context, context.Message.MeshPaymentId);

    public Task Consume(ConsumeContext<AwaitedInvoicesSynced> context) => HandleAsync(context, context.Message.MeshPaymentId);

    private async Task HandleAsync<T>(ConsumeContext<T> context, Guid meshPaymentId)
        where T : class
    {
        var current = await session.LoadAsync<PaymentReconciliation>(meshPaymentId, context.CancellationToken);
        var decision = PaymentReconciliationDecider.Decide(current, context.Message, clock.GetUtcNow());
        if (decision.Verdict == ReconciliationVerdict.Unhandled)
        {
            throw new UnhandledReconciliationEventException(typeof(T).Name, meshPaymentId, current!.CurrentState);
        }

        if (decision.Next is { } next)
        {
            PaymentReconciliationStore.Save(session, current, next);
            await session.SaveChangesAsync(context.CancellationToken);
        }

        await PaymentReconciliationStore.SendAsync(context, decision.Commands, context.CancellationToken);
    }
}

public sealed class PaymentReconciliationConsumerDefinition : ConsumerDefinition<PaymentReconciliationConsumer>
{
    public const string QueueName = "writeback.payment-reconciliation";

    public PaymentReconciliationConsumerDefinition()
    {
        EndpointName = QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PaymentReconciliationConsumer> consumerConfigurator, IRegistrationContext context) =>
        SagaEndpointPolicy.Apply(endpointConfigurator, context);
}
