using JasperFx.Events;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using Stored = ReconMesh.Domain.Writeback;
using ReconMesh.EventSourcing.Relay;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>What of a payment's writeback stream the saga, the platform and connector teams hear about.</summary>
public sealed class WritebackEventMap : IEventMessageMap
{
    /// <summary>The reason code of a WritebackFailed for a payment that failed before anything was written.</summary>
    public const string PaymentFailedBeforeWriteback = "payment-failed-before-writeback";

    public object? ToMessage(IEvent stored) => ToMessage(stored.Data);

    /// <summary>The message a stored event is heard as, or null for one nobody hears.</summary>
    public static object? ToMessage(object data) => data switch
    {
        Stored.PaymentStatusWrittenBack w => new PaymentStatusWrittenBack(w.MeshPaymentId, w.PaymentId, w.TenantId, w.ConnectionId, w.Integration,
            w.Status, w.ExternalPaymentIds, w.Invoices, w.WrittenAt),
        Stored.WritebackNeedsAttention n => new WritebackFailed(n.MeshPaymentId, n.PaymentId, n.TenantId, n.ConnectionId, n.ReasonCode, n.Reason, n.RaisedAt),
        Stored.WritebackCancelled c => new WritebackFailed(c.MeshPaymentId, c.PaymentId, c.TenantId, null, PaymentFailedBeforeWriteback, c.Reason, c.CancelledAt),
        Stored.PaymentStatusReverted r => new PaymentStatusReverted(r.MeshPaymentId, r.PaymentId, r.TenantId, r.ConnectionId, r.ExternalPaymentIds, r.RevertedAt,
            r.Kind, r.ReinstatementInvoiceIds ?? []),
        Stored.WritebackAwaitingInvoices a => new WritebackAwaitingInvoices(a.MeshPaymentId, a.InvoiceIds),
        Stored.ExceptionRetryRequested r => new ExceptionRetryRequested(r.MeshPaymentId),
        Stored.ExceptionDismissed d => new ExceptionDismissed(d.MeshPaymentId, d.Reason),
        Payouts.PayoutDepositRecorded d => new PayoutDeposited(d.MeshPayoutId, d.PayoutId, d.TenantId, d.ConnectionId, d.ExternalDepositId,
            d.Amount, d.Fees, d.RecordedAt),
        Payouts.PayoutDepositSkipped d => new PayoutDeposited(d.MeshPayoutId, d.PayoutId, d.TenantId, d.ConnectionId, null, d.Amount, d.Fees, d.SkippedAt),
        Payouts.PayoutDepositNeedsAttention n => new PayoutNeedsAttention(n.MeshPayoutId, n.PayoutId, n.TenantId, n.ReasonCode, n.Reason, n.RaisedAt),
        _ => null,
    };
}
