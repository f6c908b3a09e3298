using MassTransit;

namespace ReconMesh.Contracts.Payments;

/// <summary>
/// Emitted by the payment platform when a customer's dispute took a payment back (a card chargeback, or an ACH
/// dispute weeks after settlement). The amount is what the customer paid (the payment's amount and any surcharge); a dispute fee, if any, is netted from a
/// payout. ReconMesh reverts what it wrote for the payment, so the invoice is owed again.
/// </summary>
/// <param name="PaymentId">The platform's id of the payment, as in <see cref="PaymentProcessed.PaymentId"/>.</param>
/// <param name="TenantId">The partner.</param>
/// <param name="ChargebackId">The platform's id of the chargeback (dispute).</param>
/// <param name="Currency">ISO 4217 code; the payment's currency.</param>
/// <param name="Amount">What the customer's bank took back: the payment's amount and surcharge.</param>
/// <param name="ReasonCode">The network's or bank's reason code, e.g. <c>10.4</c> or <c>R10</c>.</param>
/// <param name="Reason">The reason in words.</param>
/// <param name="ChargedBackAt">When the platform learned of it.</param>
[MessageUrn("urn:reconmesh:payments:payment-charged-back:v1", false)]
[EntityName("reconmesh.payments.payment-charged-back")]
public sealed record PaymentChargedBack(
    string PaymentId, string TenantId, string ChargebackId, string Currency, decimal Amount, string ReasonCode, string Reason, DateTimeOffset ChargedBackAt);
