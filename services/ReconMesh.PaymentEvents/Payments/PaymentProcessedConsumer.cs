using System.Text.Json;
using FluentValidation;
using Marten;
using Marten.Exceptions;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Identity;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>
/// The platform's door on the bus: validates a PaymentProcessed, de-duplicates it by (tenant, platform payment id),
/// and starts the payment's stream. The stream's uniqueness is the de-duplication: however often the platform
/// delivers the message, one stream and one PaymentAccepted result.
/// </summary>
public sealed partial class PaymentProcessedConsumer(
    IDocumentSession session, IValidator<PaymentProcessed> validator, TimeProvider clock, ILogger<PaymentProcessedConsumer> logger)
    : IConsumer<PaymentProcessed>
{
    public async Task Consume(ConsumeContext<PaymentProcessed> context)
    {
        var message = context.Message;
        var validation = await validator.ValidateAsync(message, context.CancellationToken);
        if (!validation.IsValid)
        {
            var reasons = validation.Errors.Select(e => e.ErrorMessage).ToList();
            session.Store(new RejectedMessage
            {
                Id = context.MessageId ?? NewId.NextGuid(),
                TenantId = message.TenantId,
                PaymentId = message.PaymentId,
                MessageType = nameof(PaymentProcessed),
                Reasons = reasons,
                Body = JsonSerializer.Serialize(message),
                RejectedAt = clock.GetUtcNow(),
            });
            await session.SaveChangesAsync(context.CancellationToken);
            // Faults the message (Fault<PaymentProcessed> is published) and moves it to the error queue, unretried.
            throw new ValidationException(validation.Errors);
        }

        var meshPaymentId = MeshIds.Payment(message.TenantId, message.PaymentId);
        if (await session.Events.FetchStreamStateAsync(meshPaymentId, context.CancellationToken) is not null)
        {
            LogDuplicate(logger, message.PaymentId, message.TenantId);
            return;
        }

        var received = new PaymentReceived(
            meshPaymentId, message.PaymentId, message.TenantId, message.Method,
            message.Currency, message.Amount, message.Fee, message.Allocations, message.ProcessedAt, clock.GetUtcNow());
        session.Events.StartStream(received.MeshPaymentId, received);
        try
        {
            await session.SaveChangesAsync(context.CancellationToken);
        }
        catch (ExistingStreamIdCollisionException)
        {
            // Two deliveries raced past the check above; the stream's uniqueness decided.
            LogDuplicate(logger, message.PaymentId, message.TenantId);
        }
    }

    [LoggerMessage(LogLevel.Information, "Payment {PaymentId} of tenant {TenantId} was already received; this delivery is ignored")]
    private static partial void LogDuplicate(ILogger logger, string paymentId, string tenantId);
}

public sealed class PaymentProcessedConsumerDefinition : ConsumerDefinition<PaymentProcessedConsumer>
{
    public PaymentProcessedConsumerDefinition()
    {
        EndpointName = "payment-events.payment-processed";
    }
}
