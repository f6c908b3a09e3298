using FluentValidation;
using FluentValidation.Results;
using MassTransit;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>
/// The platform's door on the bus. A report that cannot be accepted is recorded as an exceptions entry and then
/// faulted (Fault&lt;T&gt; published, message moved to the endpoint's error queue, not retried); a duplicate is
/// acknowledged and changes nothing.
/// </summary>
public sealed class PaymentProcessedConsumer(PaymentIntake intake, PaymentWait wait) :
    IConsumer<PaymentProcessed>, IConsumer<PaymentFailed>, IConsumer<PaymentRefunded>, IConsumer<PaymentChargedBack>
{
    public Task Consume(ConsumeContext<PaymentProcessed> context) => AcceptAsync(context);

    public Task Consume(ConsumeContext<PaymentFailed> context) => AcceptAsync(context);

    public Task Consume(ConsumeContext<PaymentRefunded> context) => AcceptAsync(context);

    public Task Consume(ConsumeContext<PaymentChargedBack> context) => AcceptAsync(context);

    private async Task AcceptAsync<T>(ConsumeContext<T> context)
        where T : class
    {
        Fault(await intake.AcceptAnyAsync(context.Message, context.MessageId ?? NewId.NextGuid(), context.CancellationToken,
            wait.For(context.GetRetryAttempt())));
    }

    private static void Fault(PaymentIntake.Outcome outcome)
    {
        if (outcome is PaymentIntake.Outcome.Rejected rejected)
        {
            throw new ValidationException(rejected.Reasons.Select(r => new ValidationFailure("", r)));
        }
    }
}

public sealed class PaymentProcessedConsumerDefinition : ConsumerDefinition<PaymentProcessedConsumer>
{
    public PaymentProcessedConsumerDefinition()
    {
        EndpointName = "payment-events.platform";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PaymentProcessedConsumer> consumerConfigurator, IRegistrationContext context) =>
        context.GetRequiredService<PaymentWait>().Apply(endpointConfigurator);
}
