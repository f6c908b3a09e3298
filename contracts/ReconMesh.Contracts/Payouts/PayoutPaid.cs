using MassTransit;

namespace ReconMesh.Contracts.Payouts;

/// <summary>One payment settled by a payout: what the customer paid and the platform's fee on it.</summary>
/// <param name="PaymentId">The platform's payment id, as in <see cref="Payments.PaymentProcessed.PaymentId"/>.</param>
/// <param name="Amount">The payment's amount (what it paid toward invoices).</param>
/// <param name="Fee">The fee the platform kept from it, zero or positive.</param>
/// <param name="Surcharge">The surcharge the customer paid on top of the amount, zero if none; paid out with it.</param>
public sealed record PayoutPayment(string PaymentId, decimal Amount, decimal Fee, decimal Surcharge = 0m);

/// <summary>
/// A payment paid out earlier and since refunded, charged back or returned, whose amount the platform takes back
/// from this payout.
/// </summary>
/// <param name="PaymentId">The platform's payment id.</param>
/// <param name="Amount">The amount taken back: what the customer had paid (the payment's amount and surcharge).</param>
/// <param name="Kind">Refunded, charged back, or failed (a late ACH return).</param>
public sealed record PayoutReversal(string PaymentId, decimal Amount, Payments.PaymentReversalKind Kind);

/// <summary>
/// Emitted by the payment platform when it paid money out to the partner's bank: the payments it settles, net of
/// their fees. ReconMesh records one deposit for it in the books, equal to <see cref="Amount"/> to the cent.
/// </summary>
/// <param name="PayoutId">The platform's payout id; unique per tenant.</param>
/// <param name="TenantId">The partner paid.</param>
/// <param name="Currency">ISO 4217 code of every amount.</param>
/// <param name="Amount">
/// What reached the bank: the sum of the payments' amounts and surcharges less the sum of their fees, less the
/// reversals taken back.
/// </param>
/// <param name="Payments">The payments the payout settles; at least one.</param>
/// <param name="PaidAt">When the platform paid out.</param>
/// <param name="Reversals">Earlier payments the payout takes back (refunds, chargebacks, late returns); none if absent.</param>
[MessageUrn("urn:reconmesh:payouts:payout-paid:v1", false)]
[EntityName("reconmesh.payouts.payout-paid")]
public sealed record PayoutPaid(string PayoutId, string TenantId, string Currency, decimal Amount, IReadOnlyList<PayoutPayment> Payments, DateTimeOffset PaidAt,
    IReadOnlyList<PayoutReversal>? Reversals = null);
