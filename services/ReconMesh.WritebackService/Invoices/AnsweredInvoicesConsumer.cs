using MassTransit;
using ReconMesh.Contracts.Invoices;

namespace ReconMesh.WritebackService.Invoices;

/// <summary>
/// The invoices InvoiceIngest sends in answer to <see cref="InvoicesAwaited"/>, on a queue of their own: a payment that
/// waits for an invoice gets it even while the invoice directory's queue holds a backlog (another tenant's thousands of
/// invoices of a connection not announced yet). Remembered exactly as the directory remembers what it hears
/// (<see cref="InvoicesSyncedConsumer"/>): the same checks, the newest revision kept, waiting payments woken.
/// </summary>
public sealed class AnsweredInvoicesConsumer(InvoicesSyncedConsumer directory) : IConsumer<Batch<InvoicesSynced>>
{
    public Task Consume(ConsumeContext<Batch<InvoicesSynced>> context) => directory.Consume(context);

    /// <summary>
    /// Where the answers go: the response address of every <see cref="InvoicesAwaited"/> this service publishes. The
    /// exchange of the queue (which this service's endpoint binds), not the queue: InvoiceIngest's bus user may declare
    /// and publish to that exchange, and neither bind nor read the queue (deploy/local/rabbitmq-users.sh).
    /// </summary>
    public static readonly Uri Address = new($"exchange:{AnsweredInvoicesConsumerDefinition.QueueName}");

    /// <summary>Asks InvoiceIngest for invoices a payment waits for, the answer to come to <see cref="Address"/>.</summary>
    public static Task AskAsync(IPublishEndpoint bus, InvoicesAwaited request, CancellationToken cancellationToken) =>
        bus.Publish(request, context => context.ResponseAddress = Address, cancellationToken);
}

public sealed class AnsweredInvoicesConsumerDefinition : ConsumerDefinition<AnsweredInvoicesConsumer>
{
    public const string QueueName = "writeback.invoices-answered";

    public AnsweredInvoicesConsumerDefinition()
    {
        EndpointName = QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<AnsweredInvoicesConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Only what is sent here: not bound to InvoicesSynced's exchange, whose every message the directory already hears.
        endpointConfigurator.ConfigureConsumeTopology = false;
        InvoicesSyncedConsumerDefinition.Configure(endpointConfigurator, context);
        consumerConfigurator.Options<BatchOptions>(InvoicesSyncedConsumerDefinition.Batches);
    }
}
