using Marten;
using MassTransit;
using ReconMesh.Domain.Writeback;
using ReconMesh.EventSourcing.Store;
using ReconMesh.Integrations.Connections;
using ReconMesh.WritebackService.Invoices;
using ReconMesh.WritebackService.Waits;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// Writes one payment to its integration: load what the payment's writeback stream says and the facts the rules need,
/// let <see cref="WritebackDecider"/> decide, write as it planned, and append the effects at the version decided on
/// (a stream that moved meanwhile fails the append, and the command is retried on what it now says; a booking is
/// recorded after what moved it). The relay then tells the saga. Where an integration has no idempotency key
/// (ConnectWise), copies of one command write one after the other (<see cref="PaymentLock"/>), so the second finds what
/// the first recorded; QuickBooks answers a repeated requestid with its first Payment, so its writes take no lock. The
/// adapters' idempotency keys cover a crash between the integration's answer and the append.
/// A transient failure waits aside (<see cref="TransientWaits"/>) instead of becoming a person's work.
/// </summary>
public sealed class WritePaymentBackConsumer(IDocumentSession session, IDocumentStore store, WritebackConnections connections, TransientWaits waits,
    TimeProvider clock) : IConsumer<WritePaymentBack>
{
    /// <summary>How often a booking is appended again after losing the race for the stream (each time to a stream that moved).</summary>
    private const int MaxRaceAttempts = 5;

    public Task Consume(ConsumeContext<WritePaymentBack> context) =>
        waits.RunAsync(context, new WaitingCommand(context.Message.MeshPaymentId, context.Message.PaymentId, context.Message.TenantId, Reversal: false),
            () => WriteAsync(context));

    private async Task WriteAsync(ConsumeContext<WritePaymentBack> context)
    {
        var command = context.Message;
        var token = context.CancellationToken;
        var payment = new PaymentToWrite(command.MeshPaymentId, command.PaymentId, command.TenantId, command.Currency, command.ProcessedAt,
            command.Allocations, command.Surcharge, command.FailureReason);
        var (facts, primary, secondary) = await LoadAsync(command, token);
        var record = await session.LoadAsync<WritebackRecord>(command.MeshPaymentId, token);
        var step = await DecideAsync(payment, record, facts, secondary, token);

        PaymentLock? exclusive = null;
        try
        {
            if (step is WriteStep.Write { NeedsExclusivity: true })
            {
                // An integration without an idempotency key: one copy writes at a time, and the second decides again on
                // what the first recorded.
                exclusive = await PaymentLock.AcquireAsync(store, command.MeshPaymentId, token);
                record = await session.LoadAsync<WritebackRecord>(command.MeshPaymentId, token);
                step = await DecideAsync(payment, record, facts, secondary, token);
            }

            switch (step)
            {
                case WriteStep.Record r:
                    await AppendAsync(command.MeshPaymentId, record?.Version ?? 0, r.Events, token);
                    break;
                case WriteStep.Write plan:
                    var effects = await WriteAsync(payment, plan, primary!, secondary, token);
                    await AppendBookingAsync(payment, record, effects, token);
                    break;
                case WriteStep.AlreadyDone:
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected step {step}");
            }
        }
        finally
        {
            if (exclusive is not null)
            {
                await exclusive.DisposeAsync();
            }
        }
    }

    private async Task<WriteStep> DecideAsync(PaymentToWrite payment, WritebackRecord? record, WriteContext facts, ConnectionSettings? secondary,
        CancellationToken token)
    {
        var step = WritebackDecider.DecideWrite(payment, record, facts, clock.GetUtcNow());
        if (step is WriteStep.FindInSecondary find && secondary is { } paired)
        {
            step = WritebackDecider.DecideWrite(payment, record, facts with { SecondaryMatches = await FindAsync(paired, find.Numbers, token) },
                clock.GetUtcNow());
        }

        return step;
    }

    /// <summary>
    /// Append what the write did. Another copy of the command may have appended meanwhile (QuickBooks writes take no
    /// lock); what was booked is then recorded after whatever it decided (<see cref="WritebackDecider.RecordAfterRace"/>).
    /// </summary>
    private async Task AppendBookingAsync(PaymentToWrite payment, WritebackRecord? record, IReadOnlyList<object> effects, CancellationToken token)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await AppendAsync(payment.MeshPaymentId, record?.Version ?? 0, effects, token);
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

    private async Task AppendAsync(Guid meshPaymentId, long version, IReadOnlyList<object> effects, CancellationToken token)
    {
        if (effects.Count == 0)
        {
            return;
        }

        session.Events.Append(meshPaymentId, version + effects.Count, [.. effects]);
        await session.SaveChangesAsync(token);
    }

    private async Task<(WriteContext Facts, ConnectionSettings? Primary, ConnectionSettings? Secondary)> LoadAsync(
        WritePaymentBack command, CancellationToken token)
    {
        var known = await session.LoadManyAsync<KnownInvoice>(token, command.Allocations.Select(a => a.InvoiceId).Distinct());
        var invoices = known.ToDictionary(i => i.Id,
            i => new InvoiceFacts(i.Id, i.TenantId, i.ConnectionId, i.ExternalId, i.CustomerExternalId, i.Number));
        var connectionIds = invoices.Values.Select(i => i.ConnectionId).Distinct().ToList();
        var primary = connectionIds.Count == 1 ? await connections.FindAsync(connectionIds[0], token) : null;
        var secondary = await connections.FindAsync(primary?.Facts.SecondaryConnectionId, token);
        var removed = connectionIds.Count == 1 && primary is null ? await connections.RemovedAsync(connectionIds[0], token) : null;
        return (new WriteContext(invoices, primary?.Facts, secondary?.Facts, null, removed), primary?.Settings, secondary?.Settings);
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

    private async Task<IReadOnlyList<object>> WriteAsync(PaymentToWrite payment, WriteStep.Write plan, ConnectionSettings primary,
        ConnectionSettings? secondary, CancellationToken token)
    {
        var primaryOutcome = await connections.AdapterFor(plan.PrimaryConnection.Kind).WriteAsync(primary, plan.Primary, token);
        var secondaryOutcome = WritebackDecider.SecondaryAfter(plan, primaryOutcome) is { } request
            ? await connections.AdapterFor(plan.SecondaryConnection!.Kind).WriteAsync(secondary!, request, token)
            : null;
        return WritebackDecider.RecordWrite(payment, plan, primaryOutcome, secondaryOutcome, clock.GetUtcNow());
    }
}

public sealed class WritePaymentBackConsumerDefinition : ConsumerDefinition<WritePaymentBackConsumer>
{
    public const string QueueName = "writeback.write-payment";

    public WritePaymentBackConsumerDefinition()
    {
        EndpointName = QueueName;
        // Bounded so a backlog drains at the integration's pace instead of flooding it.
        ConcurrentMessageLimit = 8;
    }
}
