using MassTransit;

namespace ReconMesh.Contracts.Payments;

/// <summary>
/// Emitted by the payment platform when a customer's payment succeeded. ReconMesh writes it back to the tenant's
/// integration exactly once, however often this message is delivered: <see cref="PaymentId"/> is the de-duplication key.
/// </summary>
/// <param name="PaymentId">The platform's id of the payment; unique per tenant.</param>
/// <param name="TenantId">The partner whose customer paid.</param>
/// <param name="Method">How the customer paid.</param>
/// <param name="Currency">ISO 4217 code of every amount in this message.</param>
/// <param name="Amount">What the customer paid toward invoices (excluding any surcharge); equals the sum of <see cref="Allocations"/>.</param>
/// <param name="Fee">The platform's processing fee for this payment, zero or positive.</param>
/// <param name="Allocations">The invoices paid and how much each; at least one.</param>
/// <param name="ProcessedAt">When the platform processed the payment.</param>
/// <param name="Surcharge">
/// What the customer paid on top of <see cref="Amount"/> when the partner passes the card fee on (a surcharge); zero
/// (or absent) when the partner absorbs it. The customer was charged <see cref="Amount"/> + <see cref="Surcharge"/>.
/// </param>
[MessageUrn("urn:reconmesh:payments:payment-processed:v1", false)]
[EntityName("reconmesh.payments.payment-processed")]
public sealed record PaymentProcessed(
    string PaymentId,
    string TenantId,
    PaymentMethod Method,
    string Currency,
    decimal Amount,
    decimal Fee,
    IReadOnlyList<PaymentAllocation> Allocations,
    DateTimeOffset ProcessedAt,
    decimal Surcharge = 0m);
