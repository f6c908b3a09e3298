using MassTransit;

namespace ReconMesh.Contracts.Payments;

/// <summary>
/// Emitted by the payment platform when a payment it had reported as processed failed after all (for example an
/// ACH return: insufficient funds, closed account, unauthorised). ReconMesh reverts what it wrote for the payment,
/// or, when nothing was written yet, makes sure nothing will be.
/// </summary>
/// <param name="PaymentId">The platform's id of the payment, as in <see cref="PaymentProcessed.PaymentId"/>.</param>
/// <param name="TenantId">The partner whose customer paid.</param>
/// <param name="FailureCode">The platform's failure code, e.g. an ACH return code such as <c>R01</c>.</param>
/// <param name="Reason">The failure in words.</param>
/// <param name="FailedAt">When the platform learned of the failure.</param>
[MessageUrn("urn:reconmesh:payments:payment-failed:v1", false)]
[EntityName("reconmesh.payments.payment-failed")]
public sealed record PaymentFailed(string PaymentId, string TenantId, string FailureCode, string Reason, DateTimeOffset FailedAt);
