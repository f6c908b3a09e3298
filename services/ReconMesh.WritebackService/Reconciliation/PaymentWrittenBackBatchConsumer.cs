using Marten;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.WritebackService.Trust;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// The relay's <see cref="PaymentStatusWrittenBack"/>, many at a time. Most of them tell the reconciliation what it
/// already decided when the write was made (<see cref="PaymentAcceptedBatchConsumer"/>), so they cost one read for the
/// batch and nothing else; the others (a write made alone, or by a command issued later) move their reconciliation, and
/// every change of the batch is stored in one transaction. An event its reconciliation's state cannot take is refused
/// alone into the error queue, as the one-at-a-time consumer refuses it.
/// </summary>
public sealed class PaymentWrittenBackBatchConsumer(IDocumentSession session, IClaimCheck<PaymentStatusWrittenBack> claims, RefusedMessages refused,
    TimeProvider clock) : IConsumer<Batch<PaymentStatusWrittenBack>>
{
    public const int BatchSize = 64;

    public async Task Consume(ConsumeContext<Batch<PaymentStatusWrittenBack>> context)
    {
        using var activity = context.Message.StartBatchActivity("reconcile written-back payments");
        var token = context.CancellationToken;
        var trusted = await BatchClaims.TrustedAsync(context.Message, claims, refused, typeof(PaymentWrittenBackBatchConsumer), token);
        var reconciliations = await ReconciliationBatch.LoadAsync(session, trusted.Select(d => d.Message.MeshPaymentId), clock.GetUtcNow(), token);
        var commands = new List<object>();
        foreach (var delivery in trusted)
        {
            var decision = reconciliations.Decide(delivery.Message);
            if (decision.Verdict == ReconciliationVerdict.Unhandled)
            {
                await delivery.RefuseAsync(new UnhandledReconciliationEventException(nameof(PaymentStatusWrittenBack), delivery.Message.MeshPaymentId,
                    reconciliations.Current(delivery.Message.MeshPaymentId)?.CurrentState ?? "(none)"), typeof(PaymentWrittenBackBatchConsumer));
                continue;
            }

            commands.AddRange(decision.Commands);
        }

        reconciliations.Save(session);
        await session.SaveChangesAsync(token);
        await PaymentReconciliationStore.SendAsync(context, commands, token);
    }
}

public sealed class PaymentWrittenBackBatchConsumerDefinition()
    : ReconciliationBatchDefinition<PaymentWrittenBackBatchConsumer>(PaymentWrittenBackBatchConsumer.BatchSize, TimeSpan.FromMilliseconds(20), 1);
