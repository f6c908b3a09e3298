using Marten;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.WritebackService.Trust;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// Accepted payments, many at a time, straight into the books. The batch's reconciliations, writeback records and known
/// invoices are read in one round trip (<see cref="PaymentWriteBatch.ReadAheadAsync"/>). Each payment's reconciliation
/// decides on its acceptance (<see cref="PaymentReconciliationDecider"/>); the writes it asks for are made here
/// (<see cref="PaymentWriteBatch"/>) once the reconciliations are stored, and what they booked is decided on at once: a
/// second transaction holds, for the whole batch, the writeback streams' new events and the reconciliations they move. The relay
/// still tells everyone else what the streams say (the reconciliation, hearing it again, finds it already taken).
/// What cannot be finished here goes on as before: a write that must take turns, looks in a paired connection or
/// failed is sent alone to <see cref="WritePaymentBackConsumer"/> once the reconciliation is stored; any other command
/// is published. If the second transaction loses a race (another event for one of the payments), each booking is
/// recorded alone and the relay tells the reconciliation, as for a write made alone.
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
        // The reconciliations, and what their writes will be decided on, in one round trip.
        var ahead = await batch.ReadAheadAsync([.. accepted.Select(a => a.MeshPaymentId).Distinct()],
            [.. accepted.SelectMany(a => a.Allocations ?? []).Select(a => a.InvoiceId).Distinct()], token);
        var reconciliations = ReconciliationBatch.From(ahead.Reconciliations, clock.GetUtcNow());
        var commands = accepted.SelectMany(a => reconciliations.Decide(a).Commands).ToList();
        var plan = await batch.PlanAsync([.. commands.OfType<WritePaymentBack>()], ahead, token);
        // The integrations' reads each write begins with go on while the reconciliations are stored. The reconciliations
        // are on their way before anything is written: whatever the writes book is then heard by a reconciliation that
        // asked for it (a race lost here costs a retry and no write).
        batch.StartIntegrationReads(plan.Planned, token);
        reconciliations.Save(session);
        await session.SaveChangesAsync(token);
        reconciliations.Stored();

        await batch.WriteAsync(plan.Planned, token);
        var alone = plan.Alone.Concat(plan.Planned.Where(p => p.Effects is null).Select(p => p.Command)).ToList();
        var booked = plan.Planned.Where(p => p.Effects is { Count: > 0 }).ToList();
        var followUps = booked.SelectMany(p => p.Effects!.Select(WritebackEventMap.ToMessage).OfType<object>())
            .SelectMany(m => reconciliations.Decide(m).Commands).ToList();

        batch.Append(booked);
        reconciliations.Save(session);
        try
        {
            await session.SaveChangesAsync(token);
        }
        catch (Exception) when (!token.IsCancellationRequested)
        {
            // Another event moved one of these reconciliations or streams meanwhile (a failure heard while the write was
            // made). What the writes booked is recorded on its own, after whatever moved its stream; the relay then tells
            // the reconciliation, which decides on it as on any write made alone.
            // A decision that booked nothing is taken again alone.
            session.EjectAllPendingChanges();
            await batch.RecordBookingsAloneAsync(booked, token);
            alone.AddRange(booked.Where(p => p.Step is not WriteStep.Write).Select(p => p.Command));
            booked.RemoveAll(p => p.Step is not WriteStep.Write);
            followUps.Clear();
        }

        // Sent once the consume succeeds (the endpoint's in-memory outbox): after the transactions above.
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
