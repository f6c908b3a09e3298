using Marten;
using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Writeback;
using ReconMesh.EventSourcing.Store;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;
using ReconMesh.WritebackService.Invoices;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>A payment's write as the consumers handle it: the command as the decider reads it, and the parts that act on it.</summary>
public sealed record PaymentWriteFacts(PaymentToWrite Payment, WriteContext Facts, ConnectionSettings? Primary, ConnectionSettings? Secondary);

/// <summary>
/// What the write consumers (one payment at a time, or a batch) share: load the facts a write is decided on, look the
/// invoices up in a paired accounting connection, write as planned, and append a booking even when another copy of the
/// command appended first (<see cref="WritebackDecider.RecordAfterRace"/>).
/// </summary>
public sealed class PaymentWrites(WritebackConnections connections, TimeProvider clock)
{
    /// <summary>How often a booking is appended again after losing the race for the stream (each time to a stream that moved).</summary>
    private const int MaxRaceAttempts = 5;

    public async Task<PaymentWriteFacts> FactsAsync(WritePaymentBack command, IReadOnlyDictionary<Guid, KnownInvoice> known, CancellationToken token)
    {
        var invoices = command.Allocations.Select(a => a.InvoiceId).Distinct()
            .Where(known.ContainsKey)
            .Select(id => known[id])
            .ToDictionary(i => i.Id, i => new InvoiceFacts(i.Id, i.TenantId, i.ConnectionId, i.ExternalId, i.CustomerExternalId, i.Number));
        var connectionIds = invoices.Values.Select(i => i.ConnectionId).Distinct().ToList();
        var primary = connectionIds.Count == 1 ? await connections.FindAsync(connectionIds[0], token) : null;
        var secondary = await connections.FindAsync(primary?.Facts.SecondaryConnectionId, token);
        var removed = connectionIds.Count == 1 && primary is null ? await connections.RemovedAsync(connectionIds[0], token) : null;
        return new PaymentWriteFacts(command.ToPayment(), new WriteContext(invoices, primary?.Facts, secondary?.Facts, null, removed),
            primary?.Settings, secondary?.Settings);
    }

    /// <summary>The step the decider takes on these facts as they are (a paired connection's invoices not looked up).</summary>
    public WriteStep Decide(PaymentWriteFacts write, WritebackRecord? record) =>
        WritebackDecider.DecideWrite(write.Payment, record, write.Facts, clock.GetUtcNow());

    /// <summary>The step the decider takes on these facts, with the paired connection's invoices looked up when it asks for them.</summary>
    public Task<WriteStep> DecideAsync(PaymentWriteFacts write, WritebackRecord? record, CancellationToken token) =>
        WithSecondaryAsync(write, facts => WritebackDecider.DecideWrite(write.Payment, record, facts, clock.GetUtcNow()), token);

    /// <summary>
    /// What a write of the payment booked, for a reversal that finds nothing recorded as booked though a write may have
    /// booked it: its bookings as the look records them (<see cref="WritebackDecider.RecordLook"/>), none when nothing is
    /// found or the payment could not have been written.
    /// </summary>
    public async Task<IReadOnlyList<object>> FindBookingsAsync(IDocumentSession session, WritePaymentBack command, CancellationToken token)
    {
        var known = await session.LoadManyAsync<KnownInvoice>(token, command.Allocations.Select(a => a.InvoiceId).Distinct());
        var write = await FactsAsync(command, known.ToDictionary(i => i.Id), token);
        var plan = await WithSecondaryAsync(write, facts => WritebackDecider.DecidePlan(write.Payment, facts, clock.GetUtcNow()), token);
        if (plan is not WriteStep.Write found)
        {
            return [];
        }

        var events = await LookAsync(write, null, new WriteStep.LookBeforeCancel(found), token);
        return [.. events.OfType<Domain.Writeback.PaymentStatusWrittenBack>()];
    }

    private async Task<WriteStep> WithSecondaryAsync(PaymentWriteFacts write, Func<WriteContext, WriteStep> decide, CancellationToken token)
    {
        var step = decide(write.Facts);
        if (step is WriteStep.FindInSecondary find && write.Secondary is { } paired)
        {
            step = decide(write.Facts with { SecondaryMatches = await FindAsync(paired, find.Numbers, token) });
        }

        return step;
    }

    /// <summary>
    /// Starts the reads the primary write begins with (<see cref="IPaymentWriteback.ReadAhead"/>); none for a status-only PSA,
    /// whose write begins in its books.
    /// </summary>
    public WriteReadAhead? StartReads(PaymentWriteFacts write, WriteStep.Write plan, CancellationToken token) =>
        plan.StatusFollowsBooks ? null : connections.AdapterFor(plan.PrimaryConnection.Kind).ReadAhead(write.Primary!, plan.Primary, token);

    /// <summary>Writes as planned (the secondary only after the primary is written) and returns the effects to append.</summary>
    public async Task<IReadOnlyList<object>> WriteAsync(PaymentWriteFacts write, WriteStep.Write plan, CancellationToken token, WriteReadAhead? ahead = null)
    {
        if (plan.StatusFollowsBooks)
        {
            return await WriteFollowingBooksAsync(write, plan, token);
        }

        var primaryOutcome = await connections.AdapterFor(plan.PrimaryConnection.Kind).WriteAsync(write.Primary!, plan.Primary, ahead, token);
        var secondaryOutcome = WritebackDecider.SecondaryAfter(plan, primaryOutcome) is { } request
            ? await connections.AdapterFor(plan.SecondaryConnection!.Kind).WriteAsync(write.Secondary!, request, token)
            : null;
        return WritebackDecider.RecordWrite(write.Payment, plan, primaryOutcome, secondaryOutcome, clock.GetUtcNow());
    }

    /// <summary>
    /// A status-only PSA with its books (<see cref="WriteStep.Write.StatusFollowsBooks"/>): the PSA's invoices checked,
    /// the money written to the books, the books read again (another payment of the invoice may have been booked while
    /// this one was), then the invoices the books say are settled marked paid in the PSA.
    /// </summary>
    private async Task<IReadOnlyList<object>> WriteFollowingBooksAsync(PaymentWriteFacts write, WriteStep.Write plan, CancellationToken token)
    {
        var check = await connections.StatusCheckFor(plan.PrimaryConnection.Kind).CheckAsync(write.Primary!, plan.Primary, token);
        var accounting = connections.AdapterFor(plan.SecondaryConnection!.Kind);
        var books = check is null ? await accounting.WriteAsync(write.Secondary!, plan.Secondary!, token) : null;
        var readAfter = books is WritebackOutcome.Written ? await accounting.FindWrittenAsync(write.Secondary!, plan.Secondary!, token) : null;
        var status = books is not null && WritebackDecider.StatusAfter(plan, books, readAfter) is { } marks
            ? await connections.AdapterFor(plan.PrimaryConnection.Kind).WriteAsync(write.Primary!, marks, token)
            : null;
        return WritebackDecider.RecordStatusWrite(write.Payment, plan, check, books, status, clock.GetUtcNow());
    }

    /// <summary>
    /// Looks in the integrations for what an earlier copy of the write booked (the secondary only where the primary holds
    /// it), and returns what to append: the bookings found, or the cancellation.
    /// </summary>
    public async Task<IReadOnlyList<object>> LookAsync(PaymentWriteFacts write, WritebackRecord? record, WriteStep.LookBeforeCancel look,
        CancellationToken token)
    {
        var plan = look.Plan;
        if (plan.StatusFollowsBooks)
        {
            // The books hold the money or nothing was booked; the status-only PSA is marked only after them.
            var books = await connections.AdapterFor(plan.SecondaryConnection!.Kind).FindWrittenAsync(write.Secondary!, plan.Secondary!, token);
            return WritebackDecider.RecordStatusLook(write.Payment, record, look, books, clock.GetUtcNow());
        }

        var primary = await connections.AdapterFor(plan.PrimaryConnection.Kind).FindWrittenAsync(write.Primary!, plan.Primary, token);
        var secondary = primary is not null && plan.Secondary is { } request
            ? await connections.AdapterFor(plan.SecondaryConnection!.Kind).FindWrittenAsync(write.Secondary!, request, token)
            : null;
        return WritebackDecider.RecordLook(write.Payment, record, look, primary, secondary, clock.GetUtcNow());
    }

    /// <summary>
    /// Appends what a write booked. Another copy of the command may have appended meanwhile (QuickBooks writes take no
    /// lock): the booking is then recorded after whatever it decided.
    /// </summary>
    public async Task AppendBookingAsync(IDocumentSession session, PaymentToWrite payment, WritebackRecord? record, IReadOnlyList<object> effects,
        CancellationToken token)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await AppendAsync(session, payment.MeshPaymentId, record?.Version ?? 0, effects, token);
                return;
            }
            catch (Exception e) when (ConcurrentAppend.Lost(e) && attempt < MaxRaceAttempts)
            {
                session.EjectAllPendingChanges();
                record = await session.LoadAsync<WritebackRecord>(payment.MeshPaymentId, token);
                effects = WritebackDecider.RecordAfterRace(payment, record, effects, clock.GetUtcNow());
            }
        }
    }

    public static async Task AppendAsync(IDocumentSession session, Guid meshPaymentId, long version, IReadOnlyList<object> effects, CancellationToken token)
    {
        if (effects.Count == 0)
        {
            return;
        }

        session.Events.Append(meshPaymentId, version + effects.Count, [.. effects]);
        await session.SaveChangesAsync(token);
    }

    /// <summary>
    /// Before a payment waits for invoices, InvoiceIngest is asked to announce them again, in case their announcement was
    /// lost on the way here (<see cref="InvoicesAwaited"/>). Published after the append: if the process dies in between,
    /// the command comes again and so does the request (a repeat only announces the invoices once more).
    /// </summary>
    public static async Task AskForAwaitedAsync(IPublishEndpoint bus, IEnumerable<object> appended, CancellationToken token)
    {
        foreach (var awaiting in appended.OfType<Domain.Writeback.WritebackAwaitingInvoices>())
        {
            await Invoices.AnsweredInvoicesConsumer.AskAsync(bus,
                new InvoicesAwaited(awaiting.MeshPaymentId, awaiting.PaymentId, awaiting.TenantId, awaiting.InvoiceIds, awaiting.NotedAt), token);
        }
    }

    private async Task<IReadOnlyDictionary<string, InvoiceMatch>> FindAsync(ConnectionSettings secondary, IReadOnlyList<string> numbers,
        CancellationToken token)
    {
        var directory = connections.DirectoryFor(secondary.Kind);
        var matches = new Dictionary<string, InvoiceMatch>(StringComparer.Ordinal);
        foreach (var number in numbers)
        {
            matches[number] = await directory.FindByNumberAsync(secondary, number, token);
        }

        return matches;
    }
}
