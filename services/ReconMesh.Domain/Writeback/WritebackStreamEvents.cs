using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.Domain.Writeback;

// The effects WritebackService had on an integration for a payment, recorded in the payment's writeback stream
// (stream id = MeshPaymentId) before anything else hears of them. An event that is the fact a contract publishes has the
// contract's name (its stored name is WritebackStore's, unchanged by a rename); the relay's WritebackEventMap translates.

/// <summary>The integration confirmed the payment's write (stored as <c>payment_written_back</c>).</summary>
public sealed record PaymentStatusWrittenBack(
    Guid MeshPaymentId,
    string PaymentId,
    string TenantId,
    Guid ConnectionId,
    IntegrationKind Integration,
    PaymentWritebackStatus Status,
    IReadOnlyList<string> ExternalPaymentIds,
    IReadOnlyList<WrittenBackInvoice> Invoices,
    DateTimeOffset WrittenAt,
    bool ToSecondary = false);

/// <summary>
/// Written to a paired PSA but not (yet) to its accounting connection, which needs a person (the attention follows in
/// the same append). Kept so that what the PSA holds is known; a retry finds it there and writes the rest.
/// </summary>
public sealed record PaymentWrittenToPrimaryOnly(Guid MeshPaymentId, string TenantId, Guid ConnectionId, IReadOnlyList<string> ExternalPaymentIds,
    DateTimeOffset WrittenAt);

/// <summary>
/// Booked in a status-only PSA's paired accounting connection (the money), but the PSA (Autotask) was not marked paid,
/// which needs a person (the attention follows in the same append). Kept so that a reversal undoes the booking, and a
/// retry finds it there and marks the PSA.
/// </summary>
public sealed record PaymentWrittenToSecondaryOnly(Guid MeshPaymentId, string TenantId, Guid ConnectionId, IReadOnlyList<string> ExternalPaymentIds,
    DateTimeOffset WrittenAt);

/// <summary>The write was not made (or not completed) and a person must decide; the reason says what and why.</summary>
public sealed record WritebackNeedsAttention(
    Guid MeshPaymentId,
    string PaymentId,
    string TenantId,
    Guid? ConnectionId,
    string ReasonCode,
    string Reason,
    DateTimeOffset RaisedAt);

/// <summary>
/// The payment names invoices ReconMesh has not synced yet (the platform can hear of an invoice before the mesh does):
/// nothing was written; the write resumes when they arrive, or needs attention when they do not arrive in time.
/// </summary>
public sealed record WritebackAwaitingInvoices(
    Guid MeshPaymentId, string PaymentId, string TenantId, IReadOnlyList<Guid> InvoiceIds, DateTimeOffset NotedAt);

/// <summary>
/// A write or reversal failed for a cause that passes by itself (the integration throttling or unavailable, a timeout,
/// the database or broker unreachable): nothing is asked of a person; the command is tried again at
/// <see cref="NextAttemptAt"/>, and only once the horizon has passed since <see cref="FirstFailedAt"/> does it need attention.
/// </summary>
/// <param name="Stage">"write" or "reverse".</param>
/// <param name="Cause">What kind of transient failure, e.g. "throttled", "integration-unavailable", "timeout".</param>
/// <param name="Detail">The failure as it was reported.</param>
/// <param name="Wait">How many waits this is for the command (1 for the first).</param>
public sealed record WritebackWaiting(
    Guid MeshPaymentId, string PaymentId, string TenantId, string Stage, string Cause, string Detail, int Wait, DateTimeOffset FirstFailedAt,
    DateTimeOffset NextAttemptAt, DateTimeOffset NotedAt);

/// <summary>The payment failed on the platform before anything was written; nothing will be.</summary>
public sealed record WritebackCancelled(Guid MeshPaymentId, string PaymentId, string TenantId, string Reason, DateTimeOffset CancelledAt);

/// <summary>
/// What was written for a payment that later failed, was refunded or charged back was reverted in the integration
/// (or, where it could no longer be changed, offset by reinstatement invoices). Stored as
/// <c>payment_reversed_in_integration</c>.
/// </summary>
public sealed record PaymentStatusReverted(
    Guid MeshPaymentId, string PaymentId, string TenantId, Guid ConnectionId, IReadOnlyList<string> ExternalPaymentIds, DateTimeOffset RevertedAt,
    PaymentReversalKind Kind = PaymentReversalKind.Failed, IReadOnlyList<string>? ReinstatementInvoiceIds = null, bool ToSecondary = false);

/// <summary>A person asked for another attempt at what needed attention, with what they fixed (<paramref name="Note"/>) if they said.</summary>
public sealed record ExceptionRetryRequested(Guid MeshPaymentId, string TenantId, string RequestedBy, DateTimeOffset RequestedAt, string? Note = null);

/// <summary>A person decided the exception needs nothing more from ReconMesh.</summary>
public sealed record ExceptionDismissed(Guid MeshPaymentId, string TenantId, string DismissedBy, string Reason, DateTimeOffset DismissedAt);
