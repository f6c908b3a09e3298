using JasperFx.Events;
using ReconMesh.Domain.Writeback;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// <see cref="WritebackEventMap"/>, counting the writeback effects it relays in <see cref="ReconMeshMetrics"/>: the one
/// place every written-back, needing-attention and reversed event passes once its stream has it (at least once: a
/// relay replay after a crash counts again).
/// </summary>
public sealed class CountingWritebackEventMap : IEventMessageMap
{
    private readonly WritebackEventMap _map = new();

    public object? ToMessage(IEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        switch (stored.Data)
        {
            case PaymentStatusWrittenBack w:
                ReconMeshMetrics.PaymentsWrittenBack.Add(1,
                    new KeyValuePair<string, object?>("integration", w.Integration.ToString()), new KeyValuePair<string, object?>("status", w.Status.ToString()));
                break;
            case WritebackNeedsAttention n:
                ReconMeshMetrics.PaymentsNeedingAttention.Add(1, new KeyValuePair<string, object?>("reason", n.ReasonCode));
                break;
            case PaymentStatusReverted:
                ReconMeshMetrics.PaymentsReversed.Add(1);
                break;
        }

        return _map.ToMessage(stored);
    }
}
