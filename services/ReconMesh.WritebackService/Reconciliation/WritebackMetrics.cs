using System.Diagnostics.Metrics;
using JasperFx.Events;
using Marten;
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

/// <summary>The gauge <c>reconmesh.sagas</c>: payment reconciliations by current state, counted in Marten at most every 15 s.</summary>
public sealed class SagaStateGauge(IMeterFactory meters, IDocumentStore store, TimeProvider clock) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ReconMeshMetrics.ObserveSagaStates(meters, "payment-reconciliation", CountAsync, clock);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<IReadOnlyDictionary<string, long>> CountAsync(CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var states = await session.Query<PaymentReconciliation>().Select(x => x.CurrentState).Distinct().ToListAsync(cancellationToken);
        var counts = new Dictionary<string, long>();
        foreach (var state in states)
        {
            counts[state] = await session.Query<PaymentReconciliation>().CountAsync(x => x.CurrentState == state, cancellationToken);
        }

        return counts;
    }
}
