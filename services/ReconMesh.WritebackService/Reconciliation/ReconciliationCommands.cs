using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;

namespace ReconMesh.WritebackService.Reconciliation;

// Messages internal to WritebackService: the saga's requests to its consumers, and a person's decisions relayed
// from the writeback stream to the saga.

/// <summary>
/// Revert what was written for a payment that failed, was refunded or charged back after it was written back.
/// SupersedesAttention: the failure arrived while the payment needed a person (or after one dismissed it): whatever the
/// mesh booked is reverted all the same, and when it booked nothing the payment is cancelled.
/// </summary>
public sealed record ReversePayment(Guid MeshPaymentId, string PaymentId, string TenantId, PaymentReversalKind Kind = PaymentReversalKind.Failed,
    decimal Surcharge = 0m, bool SupersedesAttention = false);

/// <summary>A person asked to try again (relayed from <see cref="ExceptionRetryRequested"/>).</summary>
public sealed record RetryExceptionRequested(Guid MeshPaymentId);

/// <summary>A person dismissed the exception (relayed from <see cref="ExceptionDismissed"/>).</summary>
public sealed record DismissExceptionRequested(Guid MeshPaymentId, string Reason);

/// <summary>The write found invoices not synced yet (relayed from <see cref="WritebackAwaitingInvoices"/>).</summary>
public sealed record AwaitInvoices(Guid MeshPaymentId, IReadOnlyList<Guid> InvoiceIds);

/// <summary>An invoice a waiting payment names has been synced: time to try the write again.</summary>
public sealed record AwaitedInvoicesSynced(Guid MeshPaymentId);
