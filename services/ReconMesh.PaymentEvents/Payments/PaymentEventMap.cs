using JasperFx.Events;
using ReconMesh.Contracts.Payments;
using Stored = ReconMesh.Domain.Payments;
using ReconMesh.EventSourcing.Relay;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>What of a payment's stream other services hear about.</summary>
public sealed class PaymentEventMap : IEventMessageMap
{
    public object? ToMessage(IEvent stored) => stored.Data switch
    {
        Stored.PaymentAccepted p => new PaymentAccepted(p.MeshPaymentId, p.PaymentId, p.TenantId, p.Method, p.Currency, p.Amount, p.Fee,
            p.Allocations, p.ProcessedAt, p.ReceivedAt, p.Surcharge),
        Stored.PaymentFailureAccepted f => new PaymentFailureAccepted(f.MeshPaymentId, f.PaymentId, f.TenantId, f.FailureCode, f.Reason, f.FailedAt,
            f.Kind, f.ReversalId),
        Payouts.PayoutReceived p => new ReconMesh.Contracts.Payouts.PayoutAccepted(p.MeshPayoutId, p.PayoutId, p.TenantId, p.Currency, p.Amount,
            p.Payments, p.PaidAt, p.Reversals ?? []),
        _ => null,
    };
}
