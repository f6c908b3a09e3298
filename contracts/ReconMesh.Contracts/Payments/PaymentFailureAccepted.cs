using MassTransit;

namespace ReconMesh.Contracts.Payments;

/// <summary>ReconMesh recorded a <see cref="PaymentFailed"/> in the payment's stream; what it wrote back will be reverted.</summary>
/// <param name="MeshPaymentId">ReconMesh's id of the payment.</param>
/// <param name="PaymentId">The platform's id of the payment.</param>
/// <param name="TenantId">The partner.</param>
/// <param name="FailureCode">The platform's failure code.</param>
/// <param name="Reason">The failure in words.</param>
/// <param name="FailedAt">When the platform learned of the failure.</param>
[MessageUrn("urn:reconmesh:payments:payment-failure-accepted:v1", false)]
[EntityName("reconmesh.payments.payment-failure-accepted")]
public sealed record PaymentFailureAccepted(Guid MeshPaymentId, string PaymentId, string TenantId, string FailureCode, string Reason, DateTimeOffset FailedAt);
