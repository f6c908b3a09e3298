using Marten;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.Integrations.Connections;
using ReconMesh.WritebackService.Invoices;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.Trust;

/// <summary>Why a message is refused, with the tenant it claimed and the tenant whose stream it named.</summary>
public sealed record Refusal(string Reason, string? ClaimedTenantId, string? TargetTenantId);

/// <summary>Loads the facts a message's claims are checked against and asks <see cref="MessageClaims"/>.</summary>
public interface IClaimCheck<in T>
    where T : class
{
    Task<Refusal?> CheckAsync(T message, CancellationToken cancellationToken);
}

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

/// <summary>
/// The saga's commands: checked against the saga's own record of the payment (the invoices they name are read only
/// to tell, on refusal, whose they are).
/// </summary>
public sealed class CommandClaims(IQuerySession session) : IClaimCheck<WritePaymentBack>, IClaimCheck<ReversePayment>
{
    public async Task<Refusal?> CheckAsync(WritePaymentBack message, CancellationToken cancellationToken)
    {
        var saga = await session.LoadAsync<PaymentReconciliation>(message.MeshPaymentId, cancellationToken);
        if (MessageClaims.Write(message, saga) is not { } reason)
        {
            return null;
        }

        var invoiceIds = (message.Allocations ?? []).Select(a => a.InvoiceId).Distinct().ToList();
        var invoices = invoiceIds.Count == 0 ? [] : await session.LoadManyAsync<KnownInvoice>(cancellationToken, invoiceIds);
        return new Refusal(reason, message.TenantId, MessageClaims.TargetTenant(saga, message.TenantId, invoices));
    }

    public async Task<Refusal?> CheckAsync(ReversePayment message, CancellationToken cancellationToken)
    {
        var saga = await session.LoadAsync<PaymentReconciliation>(message.MeshPaymentId, cancellationToken);
        return MessageClaims.Reverse(message, saga) is { } reason
            ? new Refusal(reason, message.TenantId, MessageClaims.TargetTenant(saga))
            : null;
    }
}

/// <summary>
/// An invoice must come through a connection of the tenant and kind it names, under the id made of both
/// (<see cref="InvoiceClaims"/>). An unknown connection is the consumer's to wait for.
/// </summary>
public sealed class InvoiceSyncedClaims(ConnectionCatalog connections) : IClaimCheck<InvoiceSynced>
{
    public async Task<Refusal?> CheckAsync(InvoiceSynced message, CancellationToken cancellationToken) =>
        await connections.FindAsync(message.ConnectionId, cancellationToken) is { } connection && InvoiceClaims.Untrusted(message, connection) is { } reason
            ? new Refusal(reason, message.TenantId, connection.TenantId)
            : null;
}
