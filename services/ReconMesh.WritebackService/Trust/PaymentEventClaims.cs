using Marten;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.Trust;

/// <summary>
/// The events of a payment's streams that the saga hears: their ids must be made of their tenant and payment (no
/// load needed). Only for a refusal is the saga read, to tell whose payment the message named.
/// </summary>
public sealed class PaymentEventClaims(IQuerySession session) :
    IClaimCheck<PaymentAccepted>, IClaimCheck<PaymentFailureAccepted>, IClaimCheck<PaymentStatusWrittenBack>, IClaimCheck<WritebackFailed>,
    IClaimCheck<PaymentStatusReverted>, IClaimCheck<PayoutAccepted>
{
    public Task<Refusal?> CheckAsync(PaymentAccepted message, CancellationToken cancellationToken) =>
        CheckAsync(nameof(PaymentAccepted), message.MeshPaymentId, message.TenantId, message.PaymentId, cancellationToken);

    public Task<Refusal?> CheckAsync(PaymentFailureAccepted message, CancellationToken cancellationToken) =>
        CheckAsync(nameof(PaymentFailureAccepted), message.MeshPaymentId, message.TenantId, message.PaymentId, cancellationToken);

    public Task<Refusal?> CheckAsync(PaymentStatusWrittenBack message, CancellationToken cancellationToken) =>
        CheckAsync(nameof(PaymentStatusWrittenBack), message.MeshPaymentId, message.TenantId, message.PaymentId, cancellationToken);

    public Task<Refusal?> CheckAsync(WritebackFailed message, CancellationToken cancellationToken) =>
        CheckAsync(nameof(WritebackFailed), message.MeshPaymentId, message.TenantId, message.PaymentId, cancellationToken);

    public Task<Refusal?> CheckAsync(PaymentStatusReverted message, CancellationToken cancellationToken) =>
        CheckAsync(nameof(PaymentStatusReverted), message.MeshPaymentId, message.TenantId, message.PaymentId, cancellationToken);

    public Task<Refusal?> CheckAsync(PayoutAccepted message, CancellationToken cancellationToken) =>
        Task.FromResult(MessageClaims.Payout(message) is { } reason ? new Refusal(reason, message.TenantId, null) : null);

    private async Task<Refusal?> CheckAsync(string what, Guid meshPaymentId, string? tenantId, string? paymentId, CancellationToken cancellationToken) =>
        MessageClaims.Payment(what, meshPaymentId, tenantId, paymentId) is { } reason
            ? new Refusal(reason, tenantId, MessageClaims.TargetTenant(await session.LoadAsync<PaymentReconciliation>(meshPaymentId, cancellationToken)))
            : null;
}
