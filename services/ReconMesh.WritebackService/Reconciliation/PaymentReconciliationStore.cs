using Marten;
using MassTransit;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>How a decided reconciliation is stored and its commands sent, by every consumer that decides one.</summary>
public static class PaymentReconciliationStore
{
    /// <summary>A new reconciliation is inserted (two that start at once cannot both win); a known one updated at the version it was read.</summary>
    public static void Save(IDocumentSession session, PaymentReconciliation? current, PaymentReconciliation next)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (current is null)
        {
            session.Insert(next);
        }
        else
        {
            session.Update(next);
        }
    }

    /// <summary>The commands, each to its consumer (through the bus, as published messages of their own type).</summary>
    public static async Task SendAsync(IPublishEndpoint bus, IReadOnlyList<object> commands, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(bus);
        foreach (var command in commands)
        {
            await bus.Publish(command, command.GetType(), token);
        }
    }
}
