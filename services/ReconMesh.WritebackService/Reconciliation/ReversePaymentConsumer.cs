using Marten;
using MassTransit;
using ReconMesh.Domain.Writeback;
using ReconMesh.WritebackService.Waits;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// Reverts in the integration what was written for a payment that failed afterwards: load the writeback record, let
/// <see cref="WritebackDecider"/> say what to revert, revert it target by target, and append what happened at the
/// version decided on. Redelivery is safe: a reverted payment is not reverted again, and the adapters treat an
/// already-voided payment as reverted. A transient failure waits aside (<see cref="TransientWaits"/>).
/// </summary>
public sealed class ReversePaymentConsumer(IDocumentSession session, PaymentLocks locks, WritebackConnections connections, PaymentWrites writes,
    TransientWaits waits, TimeProvider clock) : IConsumer<ReversePayment>
{
    public Task Consume(ConsumeContext<ReversePayment> context) =>
        waits.RunAsync(context, new WaitingCommand(context.Message.MeshPaymentId, context.Message.PaymentId, context.Message.TenantId,
            WritebackDecider.ReverseStage),
            () => ReverseAllAsync(context));

    private async Task ReverseAllAsync(ConsumeContext<ReversePayment> context)
    {
        var command = context.Message;
        var token = context.CancellationToken;
        await using var exclusive = await PaymentLock.AcquireAsync(locks, command.MeshPaymentId, token);
        var record = await session.LoadAsync<WritebackRecord>(command.MeshPaymentId, token);
        var step = WritebackDecider.DecideReverse(record, command.SupersedesAttention, command.MeshPaymentId, command.PaymentId, command.TenantId,
            command.Kind, clock.GetUtcNow());
        if (step is ReverseStep.Record cancelled)
        {
            await AppendAsync(command.MeshPaymentId, record?.Version ?? 0, cancelled.Events, token);
            return;
        }

        IReadOnlyList<object> found = [];
        if (step is ReverseStep.LookFirst look)
        {
            // Nothing is recorded as booked, yet a write that needed a person may have booked: what the integrations hold
            // under the payment's marker is reversed, and recorded as booked first.
            found = await session.LoadAsync<PaymentReconciliation>(command.MeshPaymentId, token) is { } reconciliation
                ? await writes.FindBookingsAsync(session, PaymentReconciliationDecider.Write(reconciliation), token)
                : [];
            if (found.Count == 0)
            {
                await AppendAsync(command.MeshPaymentId, record?.Version ?? 0, look.IfNothingFound, token);
                return;
            }

            step = WritebackDecider.ReverseFound(found);
        }

        if (step is not ReverseStep.Reverse reverse)
        {
            return;
        }

        var results = new List<(ReversalTarget, WritebackOutcome)>();
        foreach (var target in reverse.Targets)
        {
            var outcome = await ReverseAsync(command, target, token);
            results.Add((target, outcome));
            if (outcome is WritebackOutcome.NeedsAttention)
            {
                break;
            }
        }

        var effects = WritebackDecider.RecordReverse(command.MeshPaymentId, command.PaymentId, command.TenantId, command.Kind, results, clock.GetUtcNow());
        await AppendAsync(command.MeshPaymentId, record?.Version ?? 0, [.. found, .. effects], token);
    }

    private async Task AppendAsync(Guid meshPaymentId, long version, IReadOnlyList<object> effects, CancellationToken token)
    {
        session.Events.Append(meshPaymentId, version + effects.Count, [.. effects]);
        await session.SaveChangesAsync(token);
    }

    private async Task<WritebackOutcome> ReverseAsync(ReversePayment command, ReversalTarget target, CancellationToken token)
    {
        if (await connections.FindAsync(target.ConnectionId, token) is not ({ CanWrite: true } facts, var settings))
        {
            return await connections.RemovedAsync(target.ConnectionId, token) is { } removed
                ? WritebackDecider.ConnectionRemovedForReversal(removed)
                : WritebackDecider.ConnectionUnknownForReversal(target.ConnectionId);
        }

        var request = new PaymentReversalRequest(command.MeshPaymentId, command.PaymentId, command.Kind, target.ExternalPaymentIds, command.Surcharge);
        return await connections.AdapterFor(facts.Kind).ReverseAsync(settings, request, token);
    }
}

public sealed class ReversePaymentConsumerDefinition : ConsumerDefinition<ReversePaymentConsumer>
{
    public const string QueueName = "writeback.reverse-payment";

    public ReversePaymentConsumerDefinition()
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 4;
    }
}
