using FluentValidation;
using FluentValidation.Results;
using Marten;
using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Integrations.Connections;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.EventSourcing.Sagas;
using ReconMesh.WritebackService.Reconciliation;
using ReconMesh.WritebackService.Waits;
using Microsoft.Extensions.Options;

namespace ReconMesh.WritebackService.Invoices;

/// <summary>
/// Keeps <see cref="KnownInvoice"/> current (an older revision arriving late is ignored), and wakes the payments that
/// were waiting for a newly synced invoice. Invoices arrive combined (<see cref="InvoicesSynced"/>, up to a hundred of a
/// connection), and those messages in batches: one read and one transaction for up to a thousand invoices. Only a
/// message whose every invoice is what it claims to be is believed: its connection is one of this deployment's, of the
/// tenant and kind it names, and its id is the one derived from that connection and its external id. Anything else (a
/// message published by someone else on the bus to move an invoice to another tenant or connection, or one beyond the
/// contract's bounds) is refused whole into the endpoint's error queue with the reason, alone, and changes nothing.
/// </summary>
public sealed class InvoicesSyncedConsumer(IDocumentSession session, ConnectionCatalog connections, WaitAside aside, UnknownConnections unknown,
    IOptions<TransientWaitOptions> waits, TimeProvider clock) : IConsumer<Batch<InvoicesSynced>>
{
    /// <summary>Messages a batch gathers at most: up to a thousand invoices (<see cref="InvoicesSynced.MaxInvoices"/> each) in one transaction.</summary>
    public const int BatchSize = 10;

    public async Task Consume(ConsumeContext<Batch<InvoicesSynced>> context)
    {
        using var activity = context.Message.StartBatchActivity("remember invoices");
        var token = context.CancellationToken;
        var believed = new List<InvoiceSynced>();
        var notKnownYet = new List<ConsumeContext<InvoicesSynced>>();
        // Each connection looked up once a batch: one not known is looked for in the store.
        var found = new Dictionary<Guid, ConnectionSettings?>();
        foreach (var delivery in context.Message)
        {
            var message = delivery.Message;
            if (!found.TryGetValue(message.ConnectionId, out var connection))
            {
                connection = found[message.ConnectionId] = await connections.FindAsync(message.ConnectionId, token);
            }

            if (InvoiceClaims.Malformed(message) is { } malformed)
            {
                await delivery.RefuseAsync(new ValidationException([new ValidationFailure(nameof(InvoicesSynced), malformed)]), GetType());
            }
            else if (connection is null)
            {
                notKnownYet.Add(delivery);
            }
            else if (InvoiceClaims.Untrusted(message, connection) is { } reason)
            {
                await delivery.RefuseAsync(new ValidationException([new ValidationFailure(nameof(InvoicesSynced), reason)]), GetType());
            }
            else
            {
                believed.AddRange(message.Invoices);
            }
        }

        var added = await RememberAsync(believed, token);
        await WakeWaitingAsync(context, added, token);
        var firstSeen = notKnownYet.FirstOrDefault(d => !unknown.RecentlyConfirmed(d.Message.ConnectionId));
        if (firstSeen is not null && context.GetRetryAttempt() < QuickRetries.Length)
        {
            // Usually the announcement is a moment behind: the batch is tried again at once a few times (what it stored
            // is skipped as not newer), for under a second in all; not again for a connection those retries did not find.
            throw new ConnectionNotKnownYetException(firstSeen.Message.ConnectionId, firstSeen.Message.Invoices[0].InvoiceId);
        }

        foreach (var connectionId in notKnownYet.Select(d => d.Message.ConnectionId).Distinct())
        {
            unknown.Confirm(connectionId);
        }

        // Side by side: each send waits for the broker's confirm, and a batch of them one after the other held the slot.
        await Task.WhenAll(notKnownYet.Select(WaitForConnectionAsync));
    }

    /// <summary>The batch's quick retries (ms) before invoices of a connection not known yet wait aside.</summary>
    internal static readonly int[] QuickRetries = [100, 250, 500];

    /// <summary>
    /// A connection just added through the API may be announced (ConnectionAdded, on another queue) after its first
    /// invoices. After the batch's quick retries, its invoices wait aside, holding no slot and keeping no other tenant's invoices waiting behind them, for
    /// the transient waits' tiers (5 s, 30 s, 2 min, 10 min, ...) up to their horizon; then they are refused into the
    /// error queue, replayable (and InvoiceIngest can announce them again: the connection's replay).
    /// </summary>
    private async Task WaitForConnectionAsync(ConsumeContext<InvoicesSynced> delivery)
    {
        var now = clock.GetUtcNow();
        var (waited, since) = WaitAside.SoFar(delivery, now);
        var tiers = waits.Value.Tiers();
        if (now - since < waits.Value.TransientHorizon)
        {
            await aside.SendAsync(delivery, tiers[Math.Min(waited, tiers.Count - 1)], waited + 1, since);
            return;
        }

        await delivery.RefuseAsync(new ConnectionNotKnownYetException(delivery.Message.ConnectionId, delivery.Message.Invoices[0].InvoiceId), GetType());
    }

    /// <summary>Stores the newest revision of each invoice (optimistic concurrency: a race with another replica retries the batch).</summary>
    private async Task<IReadOnlyList<Guid>> RememberAsync(IReadOnlyList<InvoiceSynced> messages, CancellationToken token)
    {
        var newest = messages.GroupBy(m => m.InvoiceId).Select(g => g.MaxBy(m => m.Revision)!).ToList();
        if (newest.Count == 0)
        {
            return [];
        }

        var known = (await session.LoadManyAsync<KnownInvoice>(token, newest.Select(m => m.InvoiceId))).ToDictionary(k => k.Id);
        var inserted = new List<KnownInvoice>();
        var updated = new List<KnownInvoice>();
        foreach (var message in newest)
        {
            var invoice = known.GetValueOrDefault(message.InvoiceId);
            if (invoice is not null && invoice.Revision >= message.Revision)
            {
                continue;
            }

            var isNew = invoice is null;
            invoice ??= new KnownInvoice { Id = message.InvoiceId };
            invoice.Revision = message.Revision;
            invoice.TenantId = message.TenantId;
            invoice.ConnectionId = message.ConnectionId;
            invoice.Integration = message.Integration;
            invoice.ExternalId = message.ExternalId;
            invoice.Number = message.Number;
            invoice.CustomerExternalId = message.CustomerExternalId;
            invoice.Currency = message.Currency;
            invoice.Total = message.Total;
            invoice.Balance = message.Balance;
            (isNew ? inserted : updated).Add(invoice);
        }

        // One call each: Marten checks the document type by reflection on every call (a few per cent of this consumer's
        // CPU in an initial sync's profile when it was called per invoice).
        if (inserted.Count > 0)
        {
            session.Insert(inserted.ToArray());
        }

        if (updated.Count > 0)
        {
            session.Update(updated.ToArray());
        }

        try
        {
            await session.SaveChangesAsync(token);
        }
        catch
        {
            // The endpoint retries the batch (a lost race with another replica): not with these changes still pending.
            session.EjectAllPendingChanges();
            throw;
        }

        return inserted.ConvertAll(i => i.Id);
    }

    /// <summary>
    /// A payment that names a newly synced invoice may be waiting for it. (One that starts waiting just after this look is
    /// found by the InvoiceWaitMonitor's next pass.)
    /// </summary>
    private async Task WakeWaitingAsync(ConsumeContext context, IReadOnlyList<Guid> added, CancellationToken token)
    {
        if (added.Count == 0
            || !await session.Query<PaymentReconciliation>().AnyAsync(s => s.CurrentState == InvoiceWaitMonitor.WaitingState, token))
        {
            return;
        }

        foreach (var invoiceId in added)
        {
            var waiting = await session.Query<PaymentReconciliation>()
                .Where(s => s.CurrentState == InvoiceWaitMonitor.WaitingState && s.WaitingForInvoiceIds.Contains(invoiceId))
                .Select(s => s.CorrelationId)
                .ToListAsync(token);
            foreach (var meshPaymentId in waiting)
            {
                await context.Publish(new AwaitedInvoicesSynced(meshPaymentId), token);
            }
        }
    }
}

public sealed class InvoicesSyncedConsumerDefinition : ConsumerDefinition<InvoicesSyncedConsumer>
{
    public const string QueueName = "writeback.invoice-directory";

    public InvoicesSyncedConsumerDefinition()
    {
        EndpointName = QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<InvoicesSyncedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        Configure(endpointConfigurator, context);
        consumerConfigurator.Options<BatchOptions>(Batches);
    }

    /// <summary>The directory's endpoint: quick retries of a batch naming a connection not announced yet, the saga policy.</summary>
    internal static void Configure(IReceiveEndpointConfigurator endpointConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<ConnectionNotKnownYetException>();
            r.Intervals(InvoicesSyncedConsumer.QuickRetries);
        });
        SagaEndpointPolicy.Apply(endpointConfigurator, context);
    }

    /// <summary>Up to a batch of messages, gathered for at most 20 ms, one batch at a time.</summary>
    internal static void Batches(BatchOptions options) => options
        .SetMessageLimit(InvoicesSyncedConsumer.BatchSize)
        .SetTimeLimit(TimeSpan.FromMilliseconds(20))
        .SetConcurrencyLimit(1);
}

/// <summary>An invoice names a connection this deployment does not know (yet).</summary>
public sealed class ConnectionNotKnownYetException(Guid connectionId, Guid invoiceId)
    : Exception($"Invoice {invoiceId} names connection {connectionId}, which is not one of this deployment's (nor announced since).");
