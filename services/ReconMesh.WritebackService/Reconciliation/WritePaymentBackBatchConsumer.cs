using Marten;
using MassTransit;
using ReconMesh.Domain.Writeback;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.WritebackService.Invoices;
using ReconMesh.WritebackService.Trust;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// The write commands' way in, many at a time: one read of the saga documents (the commands' claims), the writeback
/// records and the invoices for the whole batch, the writes to the integrations side by side, and one transaction
/// appending every payment's effects at the version it was decided on. A command that fails its claims is refused alone
/// (recorded, faulted into this endpoint's error queue). Only the plain path is taken here: a payment whose write must take turns (<see cref="WriteStep.Write.NeedsExclusivity"/>) or look
/// in a paired connection, a second copy of a payment in the same batch, a write that throws, an append that loses a
/// race: each goes on alone to <see cref="WritePaymentBackConsumer"/> (forwarded whole, ids and headers kept), where
/// the claims filter, the lock, the retries, the transient waits and the faults treat it as before.
/// </summary>
public sealed class WritePaymentBackBatchConsumer(IDocumentSession session, PaymentWrites writes, IClaimCheck<WritePaymentBack> claims,
    RefusedMessages refused) : IConsumer<Batch<WritePaymentBack>>
{
    public const int BatchSize = 64;
    private const int WritesInParallel = 16;
    // The endpoint's exchange, not "queue:": a queue: address declares the queue with no arguments, which a quorum queue of
    // that name refuses (PRECONDITION_FAILED), so every handed-over write failed on a cluster. The service's own
    // endpoint has bound the queue to this exchange before any batch is consumed.
    private static readonly Uri Alone = new($"exchange:{WritePaymentBackConsumerDefinition.QueueName}");

    public async Task Consume(ConsumeContext<Batch<WritePaymentBack>> context)
    {
        using var activity = context.Message.StartBatchActivity("write payments back");
        var token = context.CancellationToken;
        var firstCopies = context.Message.GroupBy(d => d.Message.MeshPaymentId).Select(g => g.First()).ToHashSet();
        var leftOver = context.Message.Where(d => !firstCopies.Contains(d)).ToList();
        List<Planned> planned;
        try
        {
            planned = await PlanAsync(firstCopies, leftOver, token);
        }
        catch (Exception) when (!token.IsCancellationRequested)
        {
            // The store could not be read (or a connection looked up): every command goes on alone, with its retries.
            await ForwardAsync(context.Message, token);
            return;
        }

        await Parallel.ForEachAsync(planned.Where(p => p.Step is WriteStep.Write), new ParallelOptions
        {
            MaxDegreeOfParallelism = WritesInParallel, CancellationToken = token,
        }, async (p, ct) =>
        {
            try
            {
                p.Effects = await writes.WriteAsync(p.Write, (WriteStep.Write)p.Step, ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                p.Effects = null;
            }
        });

        leftOver.AddRange(planned.Where(p => p.Effects is null).Select(p => p.Delivery));
        var appended = planned.Where(p => p.Effects is { Count: > 0 }).ToList();
        var notAppended = await AppendAsync(appended, token);
        leftOver.AddRange(notAppended);
        await PaymentWrites.AskForAwaitedAsync(context, appended.Where(p => !notAppended.Contains(p.Delivery)).SelectMany(p => p.Effects!), token);
        await ForwardAsync(leftOver, token);
    }

    private async Task<List<Planned>> PlanAsync(IReadOnlyCollection<ConsumeContext<WritePaymentBack>> deliveries, List<ConsumeContext<WritePaymentBack>> leftOver,
        CancellationToken token)
    {
        var ids = deliveries.Select(d => d.Message.MeshPaymentId).ToList();
        var sagas = (await session.LoadManyAsync<PaymentReconciliation>(token, ids)).ToDictionary(s => s.CorrelationId);
        var records = (await session.LoadManyAsync<WritebackRecord>(token, ids)).ToDictionary(r => r.Id);
        var known = (await session.LoadManyAsync<KnownInvoice>(token,
            deliveries.SelectMany(d => d.Message.Allocations ?? []).Select(a => a.InvoiceId).Distinct())).ToDictionary(i => i.Id);

        var planned = new List<Planned>();
        foreach (var delivery in deliveries)
        {
            var command = delivery.Message;
            if (MessageClaims.Write(command, sagas.GetValueOrDefault(command.MeshPaymentId)) is not null
                && await claims.CheckAsync(command, token) is { } refusal)
            {
                // Refused alone, as the claims filter refuses a single message: recorded, faulted into this endpoint's error queue.
                await refused.RecordAsync(delivery, refusal);
                await delivery.RefuseAsync(new UntrustedMessageException(refusal.Reason), typeof(WritePaymentBackBatchConsumer));
                continue;
            }

            var write = await writes.FactsAsync(command, known, token);
            var record = records.GetValueOrDefault(command.MeshPaymentId);
            var step = writes.Decide(write, record);
            switch (step)
            {
                case WriteStep.AlreadyDone:
                    break;
                case WriteStep.Record r:
                    planned.Add(new Planned(delivery, write, record, step) { Effects = r.Events });
                    break;
                case WriteStep.Write { NeedsExclusivity: false } plan when plan.SecondaryConnection is null:
                    planned.Add(new Planned(delivery, write, record, step));
                    break;
                default:
                    leftOver.Add(delivery);
                    break;
            }
        }

        return planned;
    }

    /// <summary>
    /// Every payment's effects in one transaction. When one stream moved meanwhile the whole transaction fails: then each
    /// is appended on its own, a booking after whatever moved its stream, a decision without a booking taken again alone.
    /// </summary>
    private async Task<IReadOnlyList<ConsumeContext<WritePaymentBack>>> AppendAsync(IReadOnlyList<Planned> planned, CancellationToken token)
    {
        if (planned.Count == 0)
        {
            return [];
        }

        try
        {
            foreach (var p in planned)
            {
                session.Events.Append(p.Write.Payment.MeshPaymentId, (p.Record?.Version ?? 0) + p.Effects!.Count, [.. p.Effects]);
            }

            await session.SaveChangesAsync(token);
            return [];
        }
        catch (Exception) when (!token.IsCancellationRequested)
        {
            session.EjectAllPendingChanges();
        }

        var leftOver = new List<ConsumeContext<WritePaymentBack>>();
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
                    await PaymentWrites.AppendAsync(session, p.Write.Payment.MeshPaymentId, p.Record?.Version ?? 0, p.Effects!, token);
                }
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                // Alone, the write finds its booking again (QuickBooks by the mesh's marker) and the decision is taken anew.
                session.EjectAllPendingChanges();
                leftOver.Add(p.Delivery);
            }
        }

        return leftOver;
    }

    private static async Task ForwardAsync(IEnumerable<ConsumeContext<WritePaymentBack>> deliveries, CancellationToken token)
    {
        foreach (var delivery in deliveries)
        {
            token.ThrowIfCancellationRequested();
            await delivery.Forward(Alone);
        }
    }

    private sealed record Planned(ConsumeContext<WritePaymentBack> Delivery, PaymentWriteFacts Write, WritebackRecord? Record, WriteStep Step)
    {
        public IReadOnlyList<object>? Effects { get; set; }
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
