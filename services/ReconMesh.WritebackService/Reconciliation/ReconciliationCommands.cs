using MassTransit;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.WritebackService.Reconciliation;

// Messages internal to WritebackService: the saga's requests to its consumers, and facts of the writeback stream
// relayed to the saga. A relayed fact has the name of the stream event it comes from (ReconMesh.Domain.Writeback) and of
// the saga's Event for it. Three of them were once named differently: their URN and exchange keep the old names
// (MassTransit's defaults for those names), so the wire is what it was and a message in flight during an upgrade is
// still consumed.

/// <summary>
/// Revert what was written for a payment that failed, was refunded or charged back after it was written back.
/// SupersedesAttention: the failure arrived while the payment needed a person (or after one dismissed it): whatever the
/// mesh booked is reverted all the same, and when it booked nothing the payment is cancelled.
/// </summary>
public sealed record ReversePayment(Guid MeshPaymentId, string PaymentId, string TenantId, PaymentReversalKind Kind = PaymentReversalKind.Failed,
    decimal Surcharge = 0m, bool SupersedesAttention = false);

/// <summary>A person asked for another attempt at what needed attention (relayed from the stream event of this name).</summary>
[MessageUrn(WireNames.ExceptionRetryRequested)]
[EntityName(WireNames.ExceptionRetryRequested)]
public sealed record ExceptionRetryRequested(Guid MeshPaymentId);

/// <summary>A person dismissed the exception (relayed from the stream event of this name).</summary>
[MessageUrn(WireNames.ExceptionDismissed)]
[EntityName(WireNames.ExceptionDismissed)]
public sealed record ExceptionDismissed(Guid MeshPaymentId, string Reason);

/// <summary>The write found invoices not synced yet (relayed from the stream event of this name).</summary>
[MessageUrn(WireNames.WritebackAwaitingInvoices)]
[EntityName(WireNames.WritebackAwaitingInvoices)]
public sealed record WritebackAwaitingInvoices(Guid MeshPaymentId, IReadOnlyList<Guid> InvoiceIds);

/// <summary>An invoice a waiting payment names has been synced: time to try the write again.</summary>
public sealed record AwaitedInvoicesSynced(Guid MeshPaymentId);
