using Marten;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.WritebackService.Trust;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// Accepted payments, many at a time, straight into the books. Each payment's reconciliation decides on its
/// acceptance (<see cref="PaymentReconciliationDecider"/>); the writes it asks for are made here
/// (<see cref="PaymentWriteBatch"/>), and what they booked is decided on at once, so one transaction holds, for the whole
/// batch, the reconciliations and the writeback streams' new events, each at the version it was decided on. The relay
/// still tells everyone else what the streams say (the reconciliation, hearing it again, finds it already taken).
/// What cannot be finished here goes on as before: a write that must take turns, looks in a paired connection or
/// failed is sent alone to <see cref="WritePaymentBackConsumer"/> once the reconciliation is stored; any other command
/// is published. A transaction that loses a race (another event for one of the payments) fails the batch, which is
/// taken again on the fresh state: writes that were made are found again by their idempotency key (only writes whose
/// integration has one are made here).
/// </summary>
public sealed class PaymentAcceptedBatchConsumer(IDocumentSession session, PaymentWriteBatch batch, IClaimCheck<PaymentAccepted> claims,
    RefusedMessages refused, TimeProvider clock) : IConsumer<Batch<PaymentAccepted>>
{
    public const int BatchSize = 64;

    public async Task Consume(ConsumeContext<Batch<PaymentAccepted>> context)
    {
        using var activity = context.Message.StartBatchActivity("reconcile accepted payments");
        var token = context.CancellationToken;
        // A second copy of an acceptance in the same batch would only ask again for the write the first one asks for.
        var accepted = (await BatchClaims.TrustedAsync(context.Message.GroupBy(d => d.Message.MeshPaymentId).Select(g => g.First()), claims, refused,
            typeof(PaymentAcceptedBatchConsumer), token)).Select(d => d.Message).ToList();
        var reconciliations = await ReconciliationBatch.LoadAsync(session, accepted.Select(a => a.MeshPaymentId), clock.GetUtcNow(), token);
        var commands = accepted.SelectMany(a => reconciliations.Decide(a).Commands).ToList();

        var plan = await batch.PlanAsync([.. commands.OfType<WritePaymentBack>()], token);
        await batch.WriteAsync(plan.Planned, token);
        var alone = plan.Alone.Concat(plan.Planned.Where(p => p.Effects is null).Select(p => p.Command)).ToList();
        var booked = plan.Planned.Where(p => p.Effects is { Count: > 0 }).ToList();
        var followUps = booked.SelectMany(p => p.Effects!.Select(WritebackEventMap.ToMessage).OfType<object>()).SelectMany(m => reconciliations.Decide(m).Commands).ToList();

        batch.Append(booked);
        reconciliations.Save(session);
        await session.SaveChangesAsync(token);

        // Sent once the consume succeeds (the endpoint's in-memory outbox): after the transaction above.
        await PaymentWrites.AskForAwaitedAsync(context, booked.SelectMany(p => p.Effects!), token);
        await PaymentReconciliationStore.SendAsync(context, [.. commands.Where(c => c is not WritePaymentBack), .. followUps], token);
        var queue = await context.GetSendEndpoint(WritePaymentBackConsumerDefinition.Address);
        foreach (var command in alone)
        {
            await queue.Send(command, token);
        }
    }
}

public sealed class PaymentAcceptedBatchConsumerDefinition()
    : ReconciliationBatchDefinition<PaymentAcceptedBatchConsumer>(PaymentAcceptedBatchConsumer.BatchSize, TimeSpan.FromMilliseconds(5), 4);
