using System.Diagnostics.Metrics;
using Marten;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.WritebackService.Reconciliation;

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
