using JasperFx.Events;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.EventStore;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>What of a payment's writeback stream the saga, the platform and connector teams hear about.</summary>
public sealed class WritebackEventMap : IEventMessageMap
{
    public object? ToMessage(IEvent stored) => stored.Data switch
    {
        PaymentWrittenBack w => new PaymentStatusWrittenBack(w.MeshPaymentId, w.PaymentId, w.TenantId, w.ConnectionId, w.Integration,
            w.Status, w.ExternalPaymentIds, w.Invoices, w.WrittenAt),
        WritebackNeedsAttention n => new WritebackFailed(n.MeshPaymentId, n.PaymentId, n.TenantId, n.ConnectionId, n.ReasonCode, n.Reason, n.RaisedAt),
        _ => null,
    };
}
