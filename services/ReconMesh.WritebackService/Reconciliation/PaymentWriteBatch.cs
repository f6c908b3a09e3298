using Marten;
using ReconMesh.Domain.Writeback;
using ReconMesh.WritebackService.Invoices;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>One write of a batch: the command, the facts and record it was decided on, the step, and once taken, what to append.</summary>
public sealed record PlannedWrite(WritePaymentBack Command, PaymentWriteFacts Write, WritebackRecord? Record, WriteStep Step)
{
    /// <summary>The events to append: a recorded decision's at once, a write's once it answered; null when the write failed.</summary>
    public IReadOnlyList<object>? Effects { get; set; }

    /// <summary>The integration's reads the write begins with, when started ahead (<see cref="PaymentWriteBatch.StartIntegrationReads"/>).</summary>
    public Integrations.Writeback.WriteReadAhead? IntegrationReads { get; set; }
}

/// <summary>What <see cref="PaymentWriteBatch.PlanAsync"/> made of a batch of write commands.</summary>
/// <param name="Planned">Taken here: a decision to record, or a plain write to make.</param>
/// <param name="Alone">
/// To go on one at a time (<see cref="WritePaymentBackConsumer"/>): a write that must take turns
/// (<see cref="WriteStep.Write.NeedsExclusivity"/>) or look in a paired connection.
/// </param>
public sealed record PlannedWrites(List<PlannedWrite> Planned, List<WritePaymentBack> Alone);

/// <summary>
/// What a batch's writes are decided on, read ahead in one round trip with the batch's reconciliations
/// (<see cref="PaymentWriteBatch.ReadAheadAsync"/>): the writeback records and the known invoices of the ids asked for
/// (an id asked for and absent has none).
/// </summary>
public sealed record WriteReads(IReadOnlyDictionary<Guid, PaymentReconciliation> Reconciliations, IReadOnlySet<Guid> PaymentIds,
    IReadOnlyDictionary<Guid, WritebackRecord> Records, IReadOnlySet<Guid> InvoiceIds, IReadOnlyDictionary<Guid, KnownInvoice> Invoices);

/// <summary>
/// Many payments' writes at once, for the batch consumers: one read of the writeback records and the invoices for the
/// whole batch, each payment decided by <see cref="WritebackDecider"/>, and the plain writes made side by side. The
/// caller appends (with whatever else its transaction holds) and sends the rest on alone.
/// </summary>
public sealed class PaymentWriteBatch(IDocumentSession session, PaymentWrites writes)
{
    private const int WritesInParallel = 16;

    /// <summary>
    /// The reconciliations, writeback records and known invoices of a batch of payments, in one round trip (the batch
    /// profile in docs/benchmarks.md: three reads had been three waits for PostgreSQL before anything was written).
    /// </summary>
    public async Task<WriteReads> ReadAheadAsync(IReadOnlyCollection<Guid> meshPaymentIds, IReadOnlyCollection<Guid> invoiceIds, CancellationToken token)
    {
        var query = session.CreateBatchQuery();
        var reconciliations = query.LoadMany<PaymentReconciliation>().ByIdList(meshPaymentIds);
        var records = query.LoadMany<WritebackRecord>().ByIdList(meshPaymentIds);
        var invoices = query.LoadMany<KnownInvoice>().ByIdList(invoiceIds);
        await query.Execute(token);
        return new WriteReads((await reconciliations).ToDictionary(r => r.CorrelationId), meshPaymentIds.ToHashSet(),
            (await records).ToDictionary(r => r.Id), invoiceIds.ToHashSet(), (await invoices).ToDictionary(i => i.Id));
    }

    /// <summary>
    /// Decides each command (one per payment) on its stream's record; commands already done are left out. What
    /// <paramref name="ahead"/> read is used as it is; only records and invoices it did not ask for are read here.
    /// </summary>
    public async Task<PlannedWrites> PlanAsync(IReadOnlyCollection<WritePaymentBack> commands, WriteReads ahead, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(ahead);
        var result = new PlannedWrites([], []);
        if (commands.Count == 0)
        {
            return result;
        }

        var records = ahead.Records.ToDictionary();
        var recordIds = commands.Select(c => c.MeshPaymentId).Where(id => !ahead.PaymentIds.Contains(id)).Distinct().ToList();
        if (recordIds.Count > 0)
        {
            foreach (var record in await session.LoadManyAsync<WritebackRecord>(token, recordIds))
            {
                records[record.Id] = record;
            }
        }

        var known = ahead.Invoices.ToDictionary();
        var invoiceIds = commands.SelectMany(c => c.Allocations ?? []).Select(a => a.InvoiceId).Where(id => !ahead.InvoiceIds.Contains(id)).Distinct().ToList();
        if (invoiceIds.Count > 0)
        {
            foreach (var invoice in await session.LoadManyAsync<KnownInvoice>(token, invoiceIds))
            {
                known[invoice.Id] = invoice;
            }
        }

        foreach (var command in commands)
        {
            var write = await writes.FactsAsync(command, known, token);
            var record = records.GetValueOrDefault(command.MeshPaymentId);
            var step = writes.Decide(write, record);
            switch (step)
            {
                case WriteStep.AlreadyDone:
                    break;
                case WriteStep.Record r:
                    result.Planned.Add(new PlannedWrite(command, write, record, step) { Effects = r.Events });
                    break;
                case WriteStep.Write { NeedsExclusivity: false } plan when plan.SecondaryConnection is null:
                    result.Planned.Add(new PlannedWrite(command, write, record, step));
                    break;
                default:
                    result.Alone.Add(command);
                    break;
            }
        }

        return result;
    }

    /// <summary>
    /// Starts the reads each plain write begins with in its integration (the invoices as they are now), so they go on
    /// while the caller stores the reconciliations: nothing is written before that, and the write is judged on them.
    /// </summary>
    public void StartIntegrationReads(IEnumerable<PlannedWrite> planned, CancellationToken token)
    {
        foreach (var p in planned.Where(p => p.Step is WriteStep.Write))
        {
            p.IntegrationReads = writes.StartReads(p.Write, (WriteStep.Write)p.Step, token);
        }
    }

    /// <summary>Makes the planned writes side by side; a write that throws is left with no effects (the caller sends it on alone).</summary>
    public Task WriteAsync(IEnumerable<PlannedWrite> planned, CancellationToken token) =>
        Parallel.ForEachAsync(planned.Where(p => p.Step is WriteStep.Write), new ParallelOptions
        {
            MaxDegreeOfParallelism = WritesInParallel, CancellationToken = token,
        }, async (p, ct) =>
        {
            try
            {
                p.Effects = await writes.WriteAsync(p.Write, (WriteStep.Write)p.Step, ct, p.IntegrationReads);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                p.Effects = null;
            }
        });

    /// <summary>Adds each payment's effects to the session at the version its record was read (nothing is saved here).</summary>
    public void Append(IEnumerable<PlannedWrite> planned)
    {
        foreach (var p in planned.Where(p => p.Effects is { Count: > 0 }))
        {
            session.Events.Append(p.Command.MeshPaymentId, (p.Record?.Version ?? 0) + p.Effects!.Count, [.. p.Effects]);
        }
    }

    /// <summary>
    /// Records each booking of the batch in a transaction of its own, after whatever moved its stream
    /// (<see cref="PaymentWrites.AppendBookingAsync"/>). A booking that cannot be recorded now (the store is away) goes
    /// with an exception: the command is taken again, and the integration answers its repeated key with the same booking.
    /// </summary>
    public async Task RecordBookingsAloneAsync(IEnumerable<PlannedWrite> planned, CancellationToken token)
    {
        foreach (var p in planned.Where(p => p.Step is WriteStep.Write && p.Effects is { Count: > 0 }))
        {
            await writes.AppendBookingAsync(session, p.Write.Payment, p.Record, p.Effects!, token);
        }
    }
}
