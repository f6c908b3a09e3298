using JasperFx.Events;
using ReconMesh.Contracts.Connections;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.InvoiceIngest.Connections;
using ReconMesh.EventSourcing.Relay;

namespace ReconMesh.InvoiceIngest.Invoices;

/// <summary>Every recorded change of an invoice is published as its full current state, with the stream version as revision.</summary>
public sealed class InvoiceEventMap : IEventMessageMap
{
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
