using MassTransit;

namespace ReconMesh.Contracts.Payments;

/// <summary>
/// What ReconMesh had written back for a failed payment was reverted in the integration (for QuickBooks Online: the
/// Payment voided, so the invoices are open again with their balances restored).
/// </summary>
/// <param name="MeshPaymentId">ReconMesh's id of the payment.</param>
/// <param name="PaymentId">The platform's id of the payment.</param>
/// <param name="TenantId">The partner.</param>
/// <param name="ConnectionId">The connection written to.</param>
/// <param name="ExternalPaymentIds">The integration's ids of the reverted payment records.</param>
/// <param name="RevertedAt">When the integration confirmed the reversal.</param>
/// <param name="Kind">Why: the payment failed, was refunded, or was charged back.</param>
/// <param name="ReinstatementInvoiceIds">
/// When a payment could not be undone because it was already deposited (QuickBooks 6540), the integration's ids of the
/// invoices that put the amount back on the customer's account instead (see docs/accounting.md); otherwise empty.
/// </param>
[MessageUrn("urn:reconmesh:payments:payment-status-reverted:v1", false)]
[EntityName("reconmesh.payments.payment-status-reverted")]
public sealed record PaymentStatusReverted(Guid MeshPaymentId, string PaymentId, string TenantId, Guid ConnectionId,
    IReadOnlyList<string> ExternalPaymentIds, DateTimeOffset RevertedAt, PaymentReversalKind Kind = PaymentReversalKind.Failed,
    IReadOnlyList<string>? ReinstatementInvoiceIds = null);
