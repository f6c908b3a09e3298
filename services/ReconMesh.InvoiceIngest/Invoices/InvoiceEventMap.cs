using JasperFx.Events;
using Microsoft.Extensions.Options;
using ReconMesh.Contracts.Connections;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.InvoiceIngest.Connections;
using ReconMesh.EventSourcing.Relay;

namespace ReconMesh.InvoiceIngest.Invoices;

/// <summary>
/// Every recorded change of an invoice is published as its full current state, with the stream version as revision,
/// combined with the other invoices of its connection that the relay publishes at the same time (<see cref="InvoicesSynced"/>).
/// </summary>
public sealed class InvoiceEventMap(IOptions<InvoiceContractOptions> options) : IEventMessageMap, IMessageBatching
{
    public bool AlsoAlone => options.Value.PublishInvoiceSyncedAlone;

    public object? KeyOf(object message) => message is InvoiceSynced invoice ? invoice.ConnectionId : null;

    public IEnumerable<(object Message, int Count)> Combine(IReadOnlyList<object> messages)
    {
        var batch = new List<InvoiceSynced>();
        var lines = 0;
        foreach (var invoice in messages.Cast<InvoiceSynced>())
        {
            if (batch.Count > 0 && (batch.Count == InvoicesSynced.MaxInvoices || lines + invoice.Lines.Count > InvoicesSynced.MaxLines))
            {
                yield return (new InvoicesSynced(batch[0].TenantId, batch[0].ConnectionId, batch), batch.Count);
                (batch, lines) = ([], 0);
            }

            batch.Add(invoice);
            lines += invoice.Lines.Count;
        }

        if (batch.Count > 0)
        {
            yield return (new InvoicesSynced(batch[0].TenantId, batch[0].ConnectionId, batch), batch.Count);
        }
    }

    public object? ToMessage(IEvent stored) => stored.Data switch
    {
        InvoiceArchivedInIntegration a => new InvoiceArchived(a.InvoiceId, a.TenantId, a.ConnectionId, a.ExternalId, a.Reason, a.ArchivedAt),
        InvoiceImported e => ToContract(e.Invoice, stored.Version, e.ReadAt),
        InvoiceChangedInIntegration e => ToContract(e.Invoice, stored.Version, e.ReadAt),
        BillingContactRecorded c => new BillingContactSynced(c.TenantId, c.ConnectionId, c.Integration, c.CustomerExternalId,
            c.CustomerName, c.ContactName, c.Email, c.Phone, c.ReadAt),
        ConnectionRecorded c => c.Registration.ToMessage(),
        ConnectionRemovalRecorded r => new ConnectionRemoved(r.ConnectionId, r.TenantId, r.RemovedBy, r.RemovedAt),
        _ => null,
    };

    private static InvoiceSynced ToContract(InvoiceSnapshot i, long revision, DateTimeOffset at) =>
        new(i.InvoiceId, revision, i.TenantId, i.ConnectionId, i.Integration, i.ExternalId, i.Number, i.CustomerExternalId,
            i.CustomerName, i.Currency, i.Total, i.Balance, i.IssueDate, i.DueDate, i.Lines, at);
}
