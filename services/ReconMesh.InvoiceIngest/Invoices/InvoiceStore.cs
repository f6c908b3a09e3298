using JasperFx.Events.Projections;
using Marten;
using ReconMesh.Domain.Invoices;
using ReconMesh.Integrations.Connections;
using ReconMesh.InvoiceIngest.Connections;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.EventSourcing.Store;

namespace ReconMesh.InvoiceIngest.Invoices;

/// <summary>InvoiceIngest's part of the event store.</summary>
public static class InvoiceStore
{
    public const string Schema = "ingest";

    public static void Configure(StoreOptions options)
    {
        options.Events.MapEventType<InvoiceImported>("invoice_imported");
        options.Events.MapEventType<InvoiceChangedInIntegration>("invoice_changed_in_integration");
        options.Events.MapEventType<BillingContactRecorded>("billing_contact_recorded");
        options.Events.MapEventType<InvoiceArchivedInIntegration>("invoice_archived_in_integration");
        options.Projections.Add(new DeciderProjection<InvoiceView>(InvoiceView.Evolve), ProjectionLifecycle.Inline);
        InvoiceViews.Index(options);
        // A contact's view is folded from its own event only: a page of invoices then reads no contact views.
        options.Projections.Add(new DeciderProjection<BillingContactView>(BillingContactView.Evolve, BillingContactView.EventTypes), ProjectionLifecycle.Inline);
        options.Schema.For<SyncCursor>();
        options.Schema.For<ConnectionState>();
        options.Events.MapEventType<ConnectionRecorded>("connection_added");
        options.Events.MapEventType<ConnectionRemovalRecorded>("connection_removed");
        // One serving connection per integration account: a removed one frees its account for a new connection.
        options.Schema.For<ConnectionRegistration>().Index(x => x.Account, index =>
        {
            index.Name = "uq_connection_account";
            index.IsUnique = true;
            index.Predicate = "(data ->> 'RemovedAt') is null";
        }).Index(x => x.TenantId);
        options.Schema.For<IngestException>().Index(x => x.TenantId);
    }
}
