using MassTransit;

namespace ReconMesh.Contracts.Payments;

/// <summary>
/// Emitted by the payment platform when the partner refunded a payment to the customer. Refunds are whole: the amount
/// is what the customer paid (the payment's amount and any surcharge), in its currency (the platform's card fee on a refund is the partner's and is netted from
/// a payout, not part of this amount). ReconMesh reverts what it wrote for the payment, so the invoice is owed again.
/// </summary>
/// <param name="PaymentId">The platform's id of the refunded payment, as in <see cref="PaymentProcessed.PaymentId"/>.</param>
/// <param name="TenantId">The partner.</param>
/// <param name="RefundId">The platform's id of the refund.</param>
/// <param name="Currency">ISO 4217 code; the payment's currency.</param>
/// <param name="Amount">What went back to the customer: the payment's amount and surcharge.</param>
/// <param name="Reason">The refund's reason in words, as the partner gave it.</param>
/// <param name="RefundedAt">When the platform refunded.</param>
[MessageUrn("urn:reconmesh:payments:payment-refunded:v1", false)]
[EntityName("reconmesh.payments.payment-refunded")]
public sealed record PaymentRefunded(string PaymentId, string TenantId, string RefundId, string Currency, decimal Amount, string Reason, DateTimeOffset RefundedAt);
