using Marten;
using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.WritebackService.Invoices;
using ReconMesh.WritebackService.Waits;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// Writes one payment to its integration: load what the payment's writeback stream says and the facts the rules need,
/// let <see cref="WritebackDecider"/> decide, write as it planned, and append the effects at the version decided on
/// (a stream that moved meanwhile fails the append, and the command is retried on what it now says). The relay then
/// tells the saga. Copies of one command run one after the other (<see cref="PaymentLock"/>), so the second finds what
/// the first recorded; the adapters' idempotency keys cover a crash between the integration's answer and the append.
/// A transient failure waits aside (<see cref="TransientWaits"/>) instead of becoming a person's work. A payment that waits
/// for invoices not heard of asks InvoiceIngest to announce them again (<see cref="InvoicesAwaited"/>).
/// </summary>
public sealed class WritePaymentBackConsumer(IDocumentSession session, IDocumentStore store, WritebackConnections connections, TransientWaits waits,
    TimeProvider clock) : IConsumer<WritePaymentBack>
{
    public Task Consume(ConsumeContext<WritePaymentBack> context) =>
        waits.RunAsync(context, new WaitingCommand(context.Message.MeshPaymentId, context.Message.PaymentId, context.Message.TenantId, Reversal: false),
            () => WriteAsync(context));

    private async Task WriteAsync(ConsumeContext<WritePaymentBack> context)
    {
        var command = context.Message;
        var token = context.CancellationToken;
        await using var exclusive = await PaymentLock.AcquireAsync(store, command.MeshPaymentId, token);
        var record = await session.LoadAsync<WritebackRecord>(command.MeshPaymentId, token);
        var payment = new PaymentToWrite(command.MeshPaymentId, command.PaymentId, command.TenantId, command.Currency, command.ProcessedAt,
            command.Allocations, command.Surcharge, command.FailureReason);
        var (facts, primary, secondary) = await LoadAsync(command, token);

        var step = WritebackDecider.DecideWrite(payment, record, facts, clock.GetUtcNow());
        if (step is WriteStep.FindInSecondary find && secondary is { } paired)
        {
            facts = facts with { SecondaryMatches = await FindAsync(paired, find.Numbers, token) };
            step = WritebackDecider.DecideWrite(payment, record, facts, clock.GetUtcNow());
        }

        var effects = step switch
        {
            WriteStep.AlreadyDone => [],
            WriteStep.Record r => r.Events,
            WriteStep.Write plan => await WriteAsync(payment, plan, primary!, secondary, token),
            _ => throw new InvalidOperationException($"Unexpected step {step}"),
        };
        if (effects.Count > 0)
        {
            session.Events.Append(command.MeshPaymentId, (record?.Version ?? 0) + effects.Count, [.. effects]);
            await session.SaveChangesAsync(token);
        }

        // Before the payment waits, InvoiceIngest is asked to announce the invoices again, in case their announcement was
        // lost on the way here. Published after the append: if this process dies in between, the command comes again and
        // so does the request (a repeat only announces the invoices once more).
        foreach (var awaiting in effects.OfType<Domain.Writeback.WritebackAwaitingInvoices>())
        {
            await context.Publish(new InvoicesAwaited(awaiting.MeshPaymentId, awaiting.PaymentId, awaiting.TenantId, awaiting.InvoiceIds, awaiting.NotedAt), token);
        }
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
