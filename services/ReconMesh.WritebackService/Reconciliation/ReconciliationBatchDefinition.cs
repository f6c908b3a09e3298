using MassTransit;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// A batch consumer of the events a payment's reconciliation hears: on the reconciliation's own queue, whose retry and
/// outbox <see cref="PaymentReconciliationConsumerDefinition"/> sets for every consumer there.
/// </summary>
public abstract class ReconciliationBatchDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly int size;
    private readonly TimeSpan window;
    private readonly int concurrency;

    protected ReconciliationBatchDefinition(int size, TimeSpan window, int concurrency)
    {
        EndpointName = PaymentReconciliationConsumerDefinition.QueueName;
        this.size = size;
        this.window = window;
        this.concurrency = concurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        consumerConfigurator.Options<BatchOptions>(o => o.SetMessageLimit(size).SetTimeLimit(window).SetConcurrencyLimit(concurrency));
}
