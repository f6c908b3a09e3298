using Marten;
using MassTransit;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;
using ReconMesh.WritebackService.Invoices;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// Writes one payment to its integration through that integration's adapter and records the effect in the payment's
/// writeback stream; the relay then tells the saga. Redelivery is safe: an effect already recorded is not repeated,
/// and the adapter's idempotency keys cover a crash between the integration's answer and the record; copies of one
/// command run one after the other (<see cref="PaymentLock"/>), so the second finds what the first recorded.
/// </summary>
public sealed class WritePaymentBackConsumer(
    IDocumentSession session, IDocumentStore store, ConnectionCatalog connections, IEnumerable<IPaymentWriteback> adapters,
    IEnumerable<IInvoiceDirectory> directories, TimeProvider clock)
    : IConsumer<WritePaymentBack>
{
    public async Task Consume(ConsumeContext<WritePaymentBack> context)
    {
        var command = context.Message;
        await using var exclusive = await PaymentLock.AcquireAsync(store, command.MeshPaymentId, context.CancellationToken);
        var record = await session.LoadAsync<WritebackRecord>(command.MeshPaymentId, context.CancellationToken);
        if (record is { Written: true } or { Cancelled: true } or { Dismissed: true } or { AwaitingPerson: true })
        {
            return; // already done, or waiting for a person: a redelivered command repeats nothing
        }

        var saga = await session.LoadAsync<PaymentReconciliation>(command.MeshPaymentId, context.CancellationToken);
        object[] effects = saga is { FailureReceived: true }
            ? [new WritebackCancelled(command.MeshPaymentId, command.PaymentId, command.TenantId,
                $"The payment failed on the platform ({saga.FailureReason}) before it was written back; nothing was written.", clock.GetUtcNow())]
            : await DecideAsync(command, context.CancellationToken);

        // Expected version: if anything reached the stream meanwhile, this append fails and the command is retried.
        session.Events.Append(command.MeshPaymentId, (record?.Version ?? 0) + effects.Length, effects);
        await session.SaveChangesAsync(context.CancellationToken);
    }

    private async Task<object[]> DecideAsync(WritePaymentBack command, CancellationToken cancellationToken)
    {
        var ids = command.Allocations.Select(a => a.InvoiceId).ToList();
        var invoices = (await session.LoadManyAsync<KnownInvoice>(cancellationToken, ids)).ToDictionary(i => i.Id);

        var missing = ids.Where(id => !invoices.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            // The platform can hear of an invoice (and take a payment for it) before this service does: the saga waits.
            return [new WritebackAwaitingInvoices(command.MeshPaymentId, command.PaymentId, command.TenantId, missing, clock.GetUtcNow())];
        }

        if (invoices.Values.Any(i => i.TenantId != command.TenantId))
        {
            return [Attention(command, null, "invoice-of-another-tenant",
                "The payment allocates to an invoice that does not belong to its tenant; nothing was written.")];
        }

        var connectionIds = invoices.Values.Select(i => i.ConnectionId).Distinct().ToList();
        if (connectionIds.Count != 1)
        {
            return [Attention(command, null, "allocations-span-connections",
                "The payment allocates to invoices of more than one connection; nothing was written.")];
        }

        var connection = await connections.FindAsync(connectionIds[0], cancellationToken);
        if (connection is null)
        {
            return [Attention(command, connectionIds[0], "connection-unknown",
                $"Connection {connectionIds[0]} is not configured in WritebackService.")];
        }

        var adapter = adapters.FirstOrDefault(a => a.Kind == connection.Kind);
        if (adapter is null)
        {
            return [Attention(command, connection.Id, "integration-unsupported",
                $"Writing payments back to {connection.Kind} is not supported yet.")];
        }

        var request = new PaymentWriteRequest(command.MeshPaymentId, command.PaymentId, command.Currency,
            DateOnly.FromDateTime(command.ProcessedAt.UtcDateTime),
            [.. command.Allocations.Select(a =>
            {
                var invoice = invoices[a.InvoiceId];
                return new InvoicePortion(invoice.Id, invoice.ExternalId, invoice.CustomerExternalId, a.Amount);
            })], command.Surcharge);

        // A PSA paired with an accounting system: every invoice must have exactly one counterpart there before
        // anything is written to either, so a payment is booked in both or, as far as ReconMesh can tell, in neither.
        Secondary? secondary = null;
        if (connection.SecondaryConnectionId is { } secondaryId)
        {
            var paired = await PairAsync(command, request, invoices, secondaryId, cancellationToken);
            if (paired is WritebackNeedsAttention unpaired)
            {
                return [unpaired];
            }

            secondary = (Secondary)paired;
        }

        var primary = await adapter.WriteAsync(connection, request, cancellationToken);
        if (primary is WritebackOutcome.NeedsAttention n)
        {
            return [Attention(command, connection.Id, n.ReasonCode, n.Reason)];
        }

        var written = (WritebackOutcome.Written)primary;
        var primaryEffect = new PaymentWrittenBack(command.MeshPaymentId, command.PaymentId, command.TenantId,
            connection.Id, connection.Kind, written.Status, written.ExternalPaymentIds, written.Invoices, clock.GetUtcNow());
        if (secondary is null)
        {
            return [primaryEffect];
        }

        return await secondary.Adapter.WriteAsync(secondary.Connection, secondary.Request, cancellationToken) switch
        {
            // The secondary's effect first: the saga moves on at the first PaymentStatusWrittenBack it hears.
            WritebackOutcome.Written s => [new PaymentWrittenBack(command.MeshPaymentId, command.PaymentId, command.TenantId,
                secondary.Connection.Id, secondary.Connection.Kind, s.Status, s.ExternalPaymentIds, s.Invoices, clock.GetUtcNow(), ToSecondary: true),
                primaryEffect],
            WritebackOutcome.NeedsAttention a => [new PaymentWrittenToPrimaryOnly(command.MeshPaymentId, command.TenantId, connection.Id,
                written.ExternalPaymentIds, clock.GetUtcNow()),
                Attention(command, secondary.Connection.Id, a.ReasonCode,
                    $"Written to {connection.Kind} (payment {string.Join(", ", written.ExternalPaymentIds)}) but not to {secondary.Connection.Kind}: {a.Reason}")],
            var other => throw new InvalidOperationException($"Unexpected writeback outcome {other}"),
        };
    }

    private sealed record Secondary(ConnectionSettings Connection, IPaymentWriteback Adapter, PaymentWriteRequest Request);

    /// <summary>The secondary connection's write of the same payment, each invoice matched by its number; or why there is none.</summary>
    private async Task<object> PairAsync(WritePaymentBack command, PaymentWriteRequest request, Dictionary<Guid, KnownInvoice> invoices,
        Guid secondaryId, CancellationToken cancellationToken)
    {
        var secondary = await connections.FindAsync(secondaryId, cancellationToken);
        var adapter = secondary is null ? null : adapters.FirstOrDefault(a => a.Kind == secondary.Kind);
        var directory = secondary is null ? null : directories.FirstOrDefault(d => d.Kind == secondary.Kind);
        if (secondary is null || adapter is null || directory is null)
        {
            return Attention(command, secondaryId, "connection-unknown", $"The paired connection {secondaryId} is not configured (or cannot take payments).");
        }

        var portions = new List<InvoicePortion>();
        foreach (var portion in request.Invoices)
        {
            var number = invoices[portion.InvoiceId].Number;
            switch (await directory.FindByNumberAsync(secondary, number, cancellationToken))
            {
                case InvoiceMatch.Found found:
                    portions.Add(portion with { ExternalInvoiceId = found.ExternalId, CustomerExternalId = found.CustomerExternalId });
                    break;
                case InvoiceMatch.Ambiguous ambiguous:
                    return Attention(command, secondary.Id, "secondary-invoice-ambiguous",
                        $"{secondary.Kind} has {ambiguous.ExternalIds.Count} invoices numbered {number} ({string.Join(", ", ambiguous.ExternalIds)}); " +
                        "ReconMesh does not guess. Nothing was written to either system.");
                default:
                    return Attention(command, secondary.Id, "secondary-invoice-missing",
                        $"{secondary.Kind} has no invoice numbered {number}. Nothing was written to either system.");
            }
        }

        return new Secondary(secondary, adapter, request with { Invoices = portions });
    }

    private WritebackNeedsAttention Attention(WritePaymentBack command, Guid? connectionId, string code, string reason) =>
        new(command.MeshPaymentId, command.PaymentId, command.TenantId, connectionId, code, reason, clock.GetUtcNow());
}

public sealed class WritePaymentBackConsumerDefinition : ConsumerDefinition<WritePaymentBackConsumer>
{
    public WritePaymentBackConsumerDefinition()
    {
        EndpointName = "writeback.write-payment";
        // Bounded so a backlog drains at the integration's pace instead of flooding it.
        ConcurrentMessageLimit = 8;
    }
}

/// <summary>
/// Reverts in the integration what was written for a payment that failed afterwards, and records the effect in the
/// payment's writeback stream. Redelivery is safe: a reverted payment is not reverted again, and the adapter treats
/// an already-voided payment as reverted.
/// </summary>
public sealed class ReversePaymentConsumer(
    IDocumentSession session, IDocumentStore store, ConnectionCatalog connections, IEnumerable<IPaymentWriteback> adapters, TimeProvider clock)
    : IConsumer<ReversePayment>
{
    public async Task Consume(ConsumeContext<ReversePayment> context)
    {
        var command = context.Message;
        await using var exclusive = await PaymentLock.AcquireAsync(store, command.MeshPaymentId, context.CancellationToken);
        var record = await session.LoadAsync<WritebackRecord>(command.MeshPaymentId, context.CancellationToken);
        if (record is not { Written: true, Reversed: false } || record.AwaitingPerson || record.ConnectionId is not { } connectionId)
        {
            return;
        }

        // A paired accounting connection first (its reversal may need a person), then the PSA; one append for both.
        var effects = new List<object>();
        if (record.SecondaryConnectionId is { } secondaryId)
        {
            effects.Add(await ReverseAsync(command, secondaryId, record.SecondaryExternalPaymentIds, toSecondary: true, context.CancellationToken));
        }

        if (effects is not [WritebackNeedsAttention])
        {
            effects.Add(await ReverseAsync(command, connectionId, record.ExternalPaymentIds, toSecondary: false, context.CancellationToken));
        }

        if (effects.OfType<WritebackNeedsAttention>().FirstOrDefault() is { } attention)
        {
            effects = [attention]; // nothing is recorded as reversed until both are; a retry finds what is already undone
        }

        session.Events.Append(command.MeshPaymentId, record.Version + effects.Count, [.. effects]);
        await session.SaveChangesAsync(context.CancellationToken);
    }

    private async Task<object> ReverseAsync(ReversePayment command, Guid connectionId, IReadOnlyList<string> externalPaymentIds, bool toSecondary,
        CancellationToken cancellationToken)
    {
        var connection = await connections.FindAsync(connectionId, cancellationToken);
        var adapter = connection is null ? null : adapters.FirstOrDefault(a => a.Kind == connection.Kind);
        if (connection is null || adapter is null)
        {
            return new WritebackNeedsAttention(command.MeshPaymentId, command.PaymentId, command.TenantId, connectionId, "connection-unknown",
                $"Connection {connectionId} is not configured in WritebackService; the failed payment could not be reverted.", clock.GetUtcNow());
        }

        var request = new PaymentReversalRequest(command.MeshPaymentId, command.PaymentId, command.Kind, externalPaymentIds, command.Surcharge);
        return await adapter.ReverseAsync(connection, request, cancellationToken) switch
        {
            WritebackOutcome.Reversed r => new PaymentReversedInIntegration(command.MeshPaymentId, command.PaymentId, command.TenantId,
                connection.Id, r.ExternalPaymentIds, clock.GetUtcNow(), command.Kind, r.ReinstatementInvoiceIds ?? [], toSecondary),
            WritebackOutcome.NeedsAttention n => new WritebackNeedsAttention(command.MeshPaymentId, command.PaymentId, command.TenantId,
                connection.Id, n.ReasonCode, n.Reason, clock.GetUtcNow()),
            var other => throw new InvalidOperationException($"Unexpected reversal outcome {other}"),
        };
    }
}

public sealed class ReversePaymentConsumerDefinition : ConsumerDefinition<ReversePaymentConsumer>
{
    public ReversePaymentConsumerDefinition()
    {
        EndpointName = "writeback.reverse-payment";
        ConcurrentMessageLimit = 4;
    }
}
