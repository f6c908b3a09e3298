using MassTransit;

namespace ReconMesh.Contracts.Payments;

/// <summary>
/// ReconMesh could not write a payment's status to the integration and a person must look at it; the payment is
/// in the exceptions queue with this reason. Nothing was written for it unless <see cref="Reason"/> says otherwise.
/// </summary>
/// <param name="MeshPaymentId">ReconMesh's id of the payment.</param>
/// <param name="PaymentId">The platform's id of the payment.</param>
/// <param name="TenantId">The partner.</param>
/// <param name="ConnectionId">The connection the write was meant for, if one was found.</param>
/// <param name="ReasonCode">A stable, machine-readable reason (for example <c>invoice-not-synced</c>, <c>integration-rejected</c>).</param>
/// <param name="Reason">What went wrong, in words a person can act on.</param>
/// <param name="FailedAt">When ReconMesh gave up.</param>
[MessageUrn("urn:reconmesh:payments:writeback-failed:v1", false)]
[EntityName("reconmesh.payments.writeback-failed")]
public sealed record WritebackFailed(
    Guid MeshPaymentId,
    string PaymentId,
    string TenantId,
    Guid? ConnectionId,
    string ReasonCode,
    string Reason,
    DateTimeOffset FailedAt);
