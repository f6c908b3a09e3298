using MassTransit;

namespace ReconMesh.Contracts.Payments;

/// <summary>
/// ReconMesh recorded a <see cref="PaymentFailed"/>, <see cref="PaymentRefunded"/> or <see cref="PaymentChargedBack"/> in
/// the payment's stream; what it wrote back will be reverted (or, if nothing was written yet, nothing will be).
/// </summary>
/// <param name="MeshPaymentId">ReconMesh's id of the payment.</param>
/// <param name="PaymentId">The platform's id of the payment.</param>
/// <param name="TenantId">The partner.</param>
/// <param name="FailureCode">The platform's failure code; for a refund <c>refund</c>, for a chargeback its reason code.</param>
/// <param name="Reason">The failure in words.</param>
/// <param name="FailedAt">When the platform learned of the failure.</param>
/// <param name="Kind">Failed, refunded or charged back (absent in messages from before refunds existed: Failed).</param>
/// <param name="ReversalId">The platform's refund or chargeback id; null for a failure.</param>
[MessageUrn("urn:reconmesh:payments:payment-failure-accepted:v1", false)]
[EntityName("reconmesh.payments.payment-failure-accepted")]
public sealed record PaymentFailureAccepted(Guid MeshPaymentId, string PaymentId, string TenantId, string FailureCode, string Reason, DateTimeOffset FailedAt,
    PaymentReversalKind Kind = PaymentReversalKind.Failed, string? ReversalId = null);
