using MassTransit;

namespace ReconMesh.Contracts.Payments;

/// <summary>
/// ReconMesh accepted a platform payment: it was valid, was not a duplicate, and is now recorded in the payment's
/// stream. Published once per payment (at least once on the wire; <see cref="MeshPaymentId"/> identifies it).
/// </summary>
/// <param name="MeshPaymentId">ReconMesh's id of the payment (its stream id), derived from tenant and platform id.</param>
/// <param name="PaymentId">The platform's id of the payment.</param>
/// <param name="TenantId">The partner whose customer paid.</param>
/// <param name="Method">How the customer paid.</param>
/// <param name="Currency">ISO 4217 code of every amount.</param>
/// <param name="Amount">What the customer paid toward invoices.</param>
/// <param name="Fee">The platform's fee.</param>
/// <param name="Allocations">The invoices paid and how much each.</param>
/// <param name="ProcessedAt">When the platform processed the payment.</param>
/// <param name="AcceptedAt">When ReconMesh recorded it.</param>
/// <param name="Surcharge">What the customer paid on top of <see cref="Amount"/> as a surcharge; zero if none.</param>
[MessageUrn("urn:reconmesh:payments:payment-accepted:v1", false)]
[EntityName("reconmesh.payments.payment-accepted")]
public sealed record PaymentAccepted(
    Guid MeshPaymentId,
    string PaymentId,
    string TenantId,
    PaymentMethod Method,
    string Currency,
    decimal Amount,
    decimal Fee,
    IReadOnlyList<PaymentAllocation> Allocations,
    DateTimeOffset ProcessedAt,
    DateTimeOffset AcceptedAt,
    decimal Surcharge = 0m);
