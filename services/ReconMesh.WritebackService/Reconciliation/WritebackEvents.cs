using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.WritebackService.Reconciliation;

// The effects WritebackService had on an integration for a payment, recorded in the payment's writeback stream
// (stream id = MeshPaymentId) before anything else hears of them.

/// <summary>The integration confirmed the payment's write.</summary>
public sealed record PaymentWrittenBack(
    Guid MeshPaymentId,
    string PaymentId,
    string TenantId,
    Guid ConnectionId,
    IntegrationKind Integration,
    PaymentWritebackStatus Status,
    IReadOnlyList<string> ExternalPaymentIds,
    IReadOnlyList<WrittenBackInvoice> Invoices,
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
