using ReconMesh.Contracts.Payments;

namespace ReconMesh.Domain.Payments;

// What the payment's stream records. Only PaymentEvents' PaymentEventMap decides what of it reaches the bus; an event that
// is the fact a contract publishes has the contract's name (its stored name is PaymentStore's, unchanged by a rename).

/// <summary>
/// The platform reported the payment and it passed validation; the first event of every payment stream (stored as
/// <c>payment_received</c>).
/// </summary>
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
    DateTimeOffset ReceivedAt,
    decimal Surcharge = 0m);

/// <summary>The platform reported the same payment again with different facts; the first report stands.</summary>
public sealed record ConflictingPaymentReportReceived(string PaymentId, string Difference, DateTimeOffset ReceivedAt);

/// <summary>
/// The platform reported that the money did not stay paid: the payment failed after all (e.g. an ACH return), was
/// refunded, or was charged back (<see cref="Kind"/>; events recorded before refunds existed have none: Failed). Stored as
/// <c>payment_failure_recorded</c>.
/// </summary>
public sealed record PaymentFailureAccepted(Guid MeshPaymentId, string PaymentId, string TenantId, string FailureCode, string Reason,
    DateTimeOffset FailedAt, DateTimeOffset ReceivedAt, PaymentReversalKind Kind = PaymentReversalKind.Failed, string? ReversalId = null);
