using FluentValidation;
using FluentValidation.Results;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>
/// The platform's door on the bus. A report that cannot be accepted is recorded as an exceptions entry and then
/// faulted (Fault&lt;T&gt; published, message moved to the endpoint's error queue, not retried); a duplicate is
/// acknowledged and changes nothing. Payments arrive in batches (one read and one transaction for many); failures,
/// refunds and chargebacks one by one, since each may have to wait for its payment.
/// </summary>
public sealed class PaymentProcessedConsumer(PaymentIntake intake, PaymentWait wait) :
    IConsumer<Batch<PaymentProcessed>>, IConsumer<PaymentFailed>, IConsumer<PaymentRefunded>, IConsumer<PaymentChargedBack>
{
    /// <summary>Payments taken in one batch at most, and how long the first waits for others (a bound on the latency it adds).</summary>
    public const int BatchSize = 100;

    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(5);

    public async Task Consume(ConsumeContext<Batch<PaymentProcessed>> context)
    {
        using var activity = context.Message.StartBatchActivity("accept payments");
        var outcomes = await intake.AcceptManyAsync(
            [.. context.Message.Select(m => ((object)m.Message, m.MessageId ?? NewId.NextGuid()))], context.CancellationToken);
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i] is PaymentIntake.Outcome.Rejected rejected)
            {
                await context.Message[i].RefuseAsync(Invalid(rejected), GetType());
            }
        }
    }

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
            throw Invalid(rejected);
        }
    }

    private static ValidationException Invalid(PaymentIntake.Outcome.Rejected rejected) =>
        new(rejected.Reasons.Select(r => new ValidationFailure("", r)));
}

public sealed class PaymentProcessedConsumerDefinition : ConsumerDefinition<PaymentProcessedConsumer>
{
    public PaymentProcessedConsumerDefinition()
    {
        EndpointName = "payment-events.platform";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PaymentProcessedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        context.GetRequiredService<PaymentWait>().Apply(endpointConfigurator);
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(PaymentProcessedConsumer.BatchSize)
            .SetTimeLimit(PaymentProcessedConsumer.BatchWindow)
            .SetConcurrencyLimit(2));
    }
}
