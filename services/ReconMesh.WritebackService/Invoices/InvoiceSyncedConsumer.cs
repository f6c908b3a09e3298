using FluentValidation;
using FluentValidation.Results;
using Marten;
using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Integrations.Connections;
using ReconMesh.ServiceDefaults.Identity;
using ReconMesh.ServiceDefaults.Sagas;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.Invoices;

/// <summary>
/// Keeps <see cref="KnownInvoice"/> current (an older revision arriving late is ignored), and wakes the payments that
/// were waiting for a newly synced invoice. Only an invoice that is what it claims to be is believed: its connection is
/// one of this deployment's, of the tenant and kind it names, and its id is the one derived from that connection and
/// its external id. Anything else (a message published by someone else on the bus to move an invoice to another
/// tenant or connection) is refused into the endpoint's error queue with the reason, and changes nothing.
/// </summary>
public sealed class InvoiceSyncedConsumer(IDocumentSession session, ConnectionCatalog connections) : IConsumer<InvoiceSynced>
{
    public async Task Consume(ConsumeContext<InvoiceSynced> context)
    {
        var message = context.Message;
        var connection = await connections.FindAsync(message.ConnectionId, context.CancellationToken);
        if (connection is null)
        {
            // A connection just added through the API may be announced (ConnectionAdded, on another queue) after its
            // first invoices: retried for a while by the endpoint, then refused into the error queue, replayable.
            throw new ConnectionNotKnownYetException(message.ConnectionId, message.InvoiceId);
        }

        if (InvoiceClaims.Untrusted(message, connection) is { } reason)
        {
            throw new ValidationException([new ValidationFailure(nameof(InvoiceSynced), reason)]);
        }

        var known = await session.LoadAsync<KnownInvoice>(message.InvoiceId, context.CancellationToken);
        if (known is not null && known.Revision >= message.Revision)
        {
            return;
        }

        var isNew = known is null;
        known ??= new KnownInvoice { Id = message.InvoiceId };
        known.Revision = message.Revision;
        known.TenantId = message.TenantId;
        known.ConnectionId = message.ConnectionId;
        known.Integration = message.Integration;
        known.ExternalId = message.ExternalId;
        known.Number = message.Number;
        known.CustomerExternalId = message.CustomerExternalId;
        known.Currency = message.Currency;
        known.Total = message.Total;
        known.Balance = message.Balance;
        if (isNew)
        {
            session.Insert(known);
        }
        else
        {
            session.Update(known);
        }

        // Optimistic concurrency: two revisions racing cannot leave the older one stored; the loser is retried.
        await session.SaveChangesAsync(context.CancellationToken);

        if (isNew)
        {
            // A payment that names this invoice may be waiting for it. (One that starts waiting just after this look is
            // found by the InvoiceWaitMonitor's next pass.)
            var waiting = await session.Query<PaymentReconciliation>()
                .Where(s => s.CurrentState == InvoiceWaitMonitor.WaitingState && s.WaitingForInvoiceIds.Contains(message.InvoiceId))
                .Select(s => s.CorrelationId)
                .ToListAsync(context.CancellationToken);
            foreach (var meshPaymentId in waiting)
            {
                await context.Publish(new AwaitedInvoicesSynced(meshPaymentId), context.CancellationToken);
            }
        }
    }
}

public static class InvoiceClaims
{
    /// <summary>Why <paramref name="message"/> cannot be the invoice it says it is, coming through <paramref name="connection"/>, or null when it can.</summary>
    public static string? Untrusted(InvoiceSynced message, ConnectionSettings connection)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.TenantId != message.TenantId || connection.Kind != message.Integration)
        {
            return $"Invoice {message.InvoiceId} claims tenant {message.TenantId} and {message.Integration}, " +
                   $"but connection {message.ConnectionId} is another tenant's or another integration's.";
        }

        return message.InvoiceId == MeshIds.Invoice(message.ConnectionId, message.ExternalId ?? "")
            ? null
            : $"Invoice {message.InvoiceId} is not the id of {message.Integration} invoice '{message.ExternalId}' of connection {message.ConnectionId}.";
    }
}

public sealed class InvoiceSyncedConsumerDefinition : ConsumerDefinition<InvoiceSyncedConsumer>
{
    public InvoiceSyncedConsumerDefinition()
    {
        EndpointName = "writeback.invoice-directory";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<InvoiceSyncedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // About half a minute for the announcement of a connection added a moment ago to arrive.
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<ConnectionNotKnownYetException>();
            r.Intervals(100, 250, 500, 1000, 2000, 4000, 8000, 15000);
        });
        SagaEndpointPolicy.Apply(endpointConfigurator, context);
    }
}

/// <summary>An invoice names a connection this deployment does not know (yet).</summary>
public sealed class ConnectionNotKnownYetException(Guid connectionId, Guid invoiceId)
    : Exception($"Invoice {invoiceId} names connection {connectionId}, which is not one of this deployment's (nor announced since).");
