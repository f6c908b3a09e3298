using Marten;
using ReconMesh.WritebackService.Invoices;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.Trust;

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
