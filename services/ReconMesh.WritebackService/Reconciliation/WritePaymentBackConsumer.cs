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
    IDocumentSession session, IDocumentStore store, ConnectionCatalog connections, IEnumerable<IPaymentWriteback> adapters, TimeProvider clock)
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
        var effect = saga is { FailureReceived: true }
            ? new WritebackCancelled(command.MeshPaymentId, command.PaymentId, command.TenantId,
                $"The payment failed on the platform ({saga.FailureReason}) before it was written back; nothing was written.", clock.GetUtcNow())
            : await DecideAsync(command, context.CancellationToken);

        // Expected version: if anything reached the stream meanwhile, this append fails and the command is retried.
        session.Events.Append(command.MeshPaymentId, (record?.Version ?? 0) + 1, effect);
        await session.SaveChangesAsync(context.CancellationToken);
    }

    private async Task<object> DecideAsync(WritePaymentBack command, CancellationToken cancellationToken)
    {
        var ids = command.Allocations.Select(a => a.InvoiceId).ToList();
        var invoices = (await session.LoadManyAsync<KnownInvoice>(cancellationToken, ids)).ToDictionary(i => i.Id);

        var missing = ids.Where(id => !invoices.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            // The platform can hear of an invoice (and take a payment for it) before this service does: the saga waits.
            return new WritebackAwaitingInvoices(command.MeshPaymentId, command.PaymentId, command.TenantId, missing, clock.GetUtcNow());
        }

        if (invoices.Values.Any(i => i.TenantId != command.TenantId))
        {
            return Attention(command, null, "invoice-of-another-tenant",
                "The payment allocates to an invoice that does not belong to its tenant; nothing was written.");
        }

        var connectionIds = invoices.Values.Select(i => i.ConnectionId).Distinct().ToList();
        if (connectionIds.Count != 1)
        {
            return Attention(command, null, "allocations-span-connections",
                "The payment allocates to invoices of more than one connection; nothing was written.");
        }

        var connection = connections.Find(connectionIds[0]);
        if (connection is null)
        {
            return Attention(command, connectionIds[0], "connection-unknown",
                $"Connection {connectionIds[0]} is not configured in WritebackService.");
        }

        var adapter = adapters.FirstOrDefault(a => a.Kind == connection.Kind);
        if (adapter is null)
        {
            return Attention(command, connection.Id, "integration-unsupported",
                $"Writing payments back to {connection.Kind} is not supported yet.");
        }

        var request = new PaymentWriteRequest(command.MeshPaymentId, command.PaymentId, command.Currency,
            DateOnly.FromDateTime(command.ProcessedAt.UtcDateTime),
            [.. command.Allocations.Select(a =>
            {
                var invoice = invoices[a.InvoiceId];
                return new InvoicePortion(invoice.Id, invoice.ExternalId, invoice.CustomerExternalId, a.Amount);
            })], command.Surcharge);

        return await adapter.WriteAsync(connection, request, cancellationToken) switch
        {
            WritebackOutcome.Written w => new PaymentWrittenBack(command.MeshPaymentId, command.PaymentId, command.TenantId,
                connection.Id, connection.Kind, w.Status, w.ExternalPaymentIds, w.Invoices, clock.GetUtcNow()),
            WritebackOutcome.NeedsAttention n => Attention(command, connection.Id, n.ReasonCode, n.Reason),
            var other => throw new InvalidOperationException($"Unexpected writeback outcome {other}"),
        };
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

        object effect;
        var connection = connections.Find(connectionId);
        var adapter = connection is null ? null : adapters.FirstOrDefault(a => a.Kind == connection.Kind);
        if (connection is null || adapter is null)
        {
            effect = new WritebackNeedsAttention(command.MeshPaymentId, command.PaymentId, command.TenantId, connectionId, "connection-unknown",
                $"Connection {connectionId} is not configured in WritebackService; the failed payment could not be reverted.", clock.GetUtcNow());
        }
        else
        {
            var request = new PaymentReversalRequest(command.MeshPaymentId, command.PaymentId, command.Kind, record.ExternalPaymentIds, command.Surcharge);
            effect = await adapter.ReverseAsync(connection, request, context.CancellationToken) switch
            {
                WritebackOutcome.Reversed r => new PaymentReversedInIntegration(command.MeshPaymentId, command.PaymentId, command.TenantId,
                    connection.Id, r.ExternalPaymentIds, clock.GetUtcNow(), command.Kind, r.ReinstatementInvoiceIds ?? []),
                WritebackOutcome.NeedsAttention n => new WritebackNeedsAttention(command.MeshPaymentId, command.PaymentId, command.TenantId,
                    connection.Id, n.ReasonCode, n.Reason, clock.GetUtcNow()),
                var other => throw new InvalidOperationException($"Unexpected reversal outcome {other}"),
            };
        }

        session.Events.Append(command.MeshPaymentId, record.Version + 1, effect);
        await session.SaveChangesAsync(context.CancellationToken);
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
