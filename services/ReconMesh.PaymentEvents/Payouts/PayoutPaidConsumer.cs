using System.Text.Json;
using FluentValidation;
using Marten;
using Marten.Exceptions;
using MassTransit;
using ReconMesh.Contracts.Payouts;
using ReconMesh.PaymentEvents.Payments;
using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.PaymentEvents.Payouts;

/// <summary>
/// Accepts a payout once: validated (it must add up to the cent), de-duplicated by (tenant, payout id) through the
/// payout stream's uniqueness, recorded. An invalid payout is an exceptions entry and a fault, never half-deposited.
/// </summary>
public sealed partial class PayoutPaidConsumer(IDocumentSession session, IValidator<PayoutPaid> rules, TimeProvider clock, ILogger<PayoutPaidConsumer> logger)
    : IConsumer<PayoutPaid>
{
    public async Task Consume(ConsumeContext<PayoutPaid> context)
    {
        var payout = context.Message;
        var validation = await rules.ValidateAsync(payout, context.CancellationToken);
        if (!validation.IsValid)
        {
            session.Store(new RejectedMessage
            {
                Id = context.MessageId ?? NewId.NextGuid(),
                TenantId = payout.TenantId,
                PaymentId = payout.PayoutId,
                MessageType = nameof(PayoutPaid),
                Reasons = [.. validation.Errors.Select(e => e.ErrorMessage)],
                Body = JsonSerializer.Serialize(payout),
                RejectedAt = clock.GetUtcNow(),
            });
            await session.SaveChangesAsync(context.CancellationToken);
            throw new ValidationException(validation.Errors);
        }

        var id = MeshIds.Payout(payout.TenantId, payout.PayoutId);
        if (await session.Events.FetchStreamStateAsync(id, context.CancellationToken) is not null)
        {
            LogDuplicate(logger, payout.PayoutId, payout.TenantId);
            return;
        }

        session.Events.StartStream(id, new PayoutReceived(id, payout.PayoutId, payout.TenantId, payout.Currency, payout.Amount, payout.Payments,
            payout.PaidAt, clock.GetUtcNow(), payout.Reversals ?? []));
        try
        {
            await session.SaveChangesAsync(context.CancellationToken);
        }
        catch (ExistingStreamIdCollisionException)
        {
            LogDuplicate(logger, payout.PayoutId, payout.TenantId);
        }
    }

    [LoggerMessage(LogLevel.Information, "Payout {PayoutId} of tenant {TenantId} was already received; this delivery is ignored")]
    private static partial void LogDuplicate(ILogger logger, string payoutId, string tenantId);
}

public sealed class PayoutPaidConsumerDefinition : ConsumerDefinition<PayoutPaidConsumer>
{
    public PayoutPaidConsumerDefinition()
    {
        EndpointName = "payment-events.payouts";
    }
}
