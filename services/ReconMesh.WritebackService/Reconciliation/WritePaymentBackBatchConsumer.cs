using Marten;
using MassTransit;
using ReconMesh.Domain.Writeback;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.WritebackService.Invoices;
using ReconMesh.WritebackService.Trust;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// The write commands' way in, many at a time: one round trip reads the reconciliations (the commands' claims), the
/// writeback records and the invoices (<see cref="PaymentWriteBatch.ReadAheadAsync"/>), then <see cref="PaymentWriteBatch"/>
/// decides each payment and makes the writes side by side, and one transaction
/// appending every payment's effects at the version it was decided on. A command that fails its claims is refused alone
/// (recorded, faulted into this endpoint's error queue). Only the plain path is taken here: a payment whose write must take turns (<see cref="WriteStep.Write.NeedsExclusivity"/>) or look
/// in a paired connection, a second copy of a payment in the same batch, a write that throws, an append that loses a
/// race: each goes on alone to <see cref="WritePaymentBackConsumer"/> (forwarded whole, ids and headers kept), where
/// the claims filter, the lock, the retries, the transient waits and the faults treat it as before.
/// </summary>
public sealed class WritePaymentBackBatchConsumer(IDocumentSession session, PaymentWrites writes, PaymentWriteBatch batch, IClaimCheck<WritePaymentBack> claims,
    RefusedMessages refused) : IConsumer<Batch<WritePaymentBack>>
{
    public const int BatchSize = 64;

    public async Task Consume(ConsumeContext<Batch<WritePaymentBack>> context)
    {
        using var activity = context.Message.StartBatchActivity("write payments back");
        var token = context.CancellationToken;
        var firstCopies = context.Message.GroupBy(d => d.Message.MeshPaymentId).ToDictionary(g => g.Key, g => g.First());
        var leftOver = context.Message.Where(d => firstCopies[d.Message.MeshPaymentId] != d).ToList();
        PlannedWrites plan;
        try
        {
            // The reconciliations (the claims), the writeback records and the known invoices in one round trip.
            var ahead = await batch.ReadAheadAsync([.. firstCopies.Keys],
                [.. firstCopies.Values.SelectMany(d => d.Message.Allocations ?? []).Select(a => a.InvoiceId).Distinct()], token);
            var trusted = await TrustedAsync(firstCopies.Values, ahead.Reconciliations, token);
            plan = await batch.PlanAsync([.. trusted.Select(d => d.Message)], ahead, token);
        }
        catch (Exception) when (!token.IsCancellationRequested)
        {
            // The store could not be read (or a connection looked up): every command goes on alone, with its retries.
            await ForwardAsync(context.Message, token);
            return;
        }

        leftOver.AddRange(plan.Alone.Select(c => firstCopies[c.MeshPaymentId]));
        await batch.WriteAsync(plan.Planned, token);
        leftOver.AddRange(plan.Planned.Where(p => p.Effects is null).Select(p => firstCopies[p.Command.MeshPaymentId]));
        var appended = plan.Planned.Where(p => p.Effects is { Count: > 0 }).ToList();
        var notAppended = await AppendAsync(appended, token);
        leftOver.AddRange(notAppended.Select(p => firstCopies[p.Command.MeshPaymentId]));
        await PaymentWrites.AskForAwaitedAsync(context, appended.Except(notAppended).SelectMany(p => p.Effects!), token);
        await ForwardAsync(leftOver, token);
    }

    /// <summary>
    /// The commands whose claims hold. Most are checked against the reconciliations read once for the batch; only a
    /// command that does not match them goes through the full check (<see cref="BatchClaims"/>), and is refused alone if
    /// it fails there too.
    /// </summary>
    private async Task<List<ConsumeContext<WritePaymentBack>>> TrustedAsync(IEnumerable<ConsumeContext<WritePaymentBack>> deliveries,
        IReadOnlyDictionary<Guid, PaymentReconciliation> reconciliations, CancellationToken token)
    {
        var list = deliveries.ToList();
        var suspect = list.Where(d => MessageClaims.Write(d.Message, reconciliations.GetValueOrDefault(d.Message.MeshPaymentId)) is not null).ToList();
        var cleared = await BatchClaims.TrustedAsync(suspect, claims, refused, typeof(WritePaymentBackBatchConsumer), token);
        return [.. list.Where(d => !suspect.Contains(d) || cleared.Contains(d))];
    }

    /// <summary>
    /// Every payment's effects in one transaction. When one stream moved meanwhile the whole transaction fails: then each
    /// is appended on its own, a booking after whatever moved its stream, a decision without a booking taken again alone.
    /// </summary>
    private async Task<IReadOnlyList<PlannedWrite>> AppendAsync(List<PlannedWrite> planned, CancellationToken token)
    {
        if (planned.Count == 0)
        {
            return [];
        }

        try
        {
            batch.Append(planned);
            await session.SaveChangesAsync(token);
            return [];
        }
        catch (Exception) when (!token.IsCancellationRequested)
        {
            session.EjectAllPendingChanges();
        }

        var leftOver = new List<PlannedWrite>();
        foreach (var p in planned)
        {
            try
            {
                if (p.Step is WriteStep.Write)
                {
                    await writes.AppendBookingAsync(session, p.Write.Payment, p.Record, p.Effects!, token);
                }
                else
                {
                    await PaymentWrites.AppendAsync(session, p.Command.MeshPaymentId, p.Record?.Version ?? 0, p.Effects!, token);
                }
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                // Alone, the write finds its booking again (QuickBooks by the mesh's marker) and the decision is taken anew.
                session.EjectAllPendingChanges();
                leftOver.Add(p);
            }
        }

        return leftOver;
    }

    private static async Task ForwardAsync(IEnumerable<ConsumeContext<WritePaymentBack>> deliveries, CancellationToken token)
    {
        foreach (var delivery in deliveries)
        {
            token.ThrowIfCancellationRequested();
            await delivery.Forward(WritePaymentBackConsumerDefinition.Address);
        }
    }
}

public sealed class WritePaymentBackBatchConsumerDefinition : ConsumerDefinition<WritePaymentBackBatchConsumer>
{
    public const string QueueName = "writeback.write-payment";

    public WritePaymentBackBatchConsumerDefinition()
    {
        EndpointName = QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<WritePaymentBackBatchConsumer> consumerConfigurator, IRegistrationContext context)
    {
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(WritePaymentBackBatchConsumer.BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(5))
            .SetConcurrencyLimit(4));
    }
}
