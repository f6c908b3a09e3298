using MassTransit;

namespace ReconMesh.Contracts.Payments;

/// <summary>
/// A payment's status was written to the tenant's integration (for QuickBooks Online: a Payment linked to each
/// invoice). Published once per effect, at least once on the wire.
/// </summary>
/// <param name="MeshPaymentId">ReconMesh's id of the payment.</param>
/// <param name="PaymentId">The platform's id of the payment.</param>
/// <param name="TenantId">The partner.</param>
/// <param name="ConnectionId">The connection written to.</param>
/// <param name="Integration">The kind of integration written to.</param>
/// <param name="Status">Paid, or partially paid.</param>
/// <param name="ExternalPaymentIds">The ids the integration gave the recorded payment(s).</param>
/// <param name="Invoices">How each invoice was left.</param>
/// <param name="WrittenAt">When the integration confirmed the write.</param>
[MessageUrn("urn:reconmesh:payments:payment-status-written-back:v1", false)]
[EntityName("reconmesh.payments.payment-status-written-back")]
public sealed record PaymentStatusWrittenBack(
    Guid MeshPaymentId,
    string PaymentId,
    string TenantId,
    Guid ConnectionId,
    IntegrationKind Integration,
    PaymentWritebackStatus Status,
    IReadOnlyList<string> ExternalPaymentIds,
    IReadOnlyList<WrittenBackInvoice> Invoices,
    DateTimeOffset WrittenAt);
