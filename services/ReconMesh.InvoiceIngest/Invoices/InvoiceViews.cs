using Marten;
using ReconMesh.Domain.Invoices;

namespace ReconMesh.InvoiceIngest.Invoices;

/// <summary>
/// The ways InvoiceIngest finds invoice views other than by id, each served by an index declared here (<see cref="Index"/>).
/// Without them, a connection's status (the count of its invoices, asked on every status read and by the operator console)
/// and the reconciliation's open invoices read every invoice of every tenant: 20 ms at 30,000 invoices, growing with the
/// deployment, and found because the bench's status poll alone took a tenth of InvoiceIngest's CPU in an initial sync.
/// </summary>
public static class InvoiceViews
{
    /// <summary>The views of one connection (its status count, its reconciliation, its replay).</summary>
    public static IQueryable<InvoiceView> OfConnection(IQuerySession session, Guid connectionId)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Query<InvoiceView>().Where(v => v.Invoice.ConnectionId == connectionId);
    }

    /// <summary>The views of one tenant (the invoice list and search of the API).</summary>
    public static IQueryable<InvoiceView> OfTenant(IQuerySession session, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Query<InvoiceView>().Where(v => v.Invoice.TenantId == tenantId);
    }

    /// <summary>
    /// The indexes the look-ups above need: on the expressions Marten's LINQ writes for them (checked by
    /// <c>When_invoice_views_are_looked_up_by_connection_or_tenant</c>), applied with the rest of the schema at start.
    /// </summary>
    public static void Index(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Schema.For<InvoiceView>().Index(v => v.Invoice.ConnectionId).Index(v => v.Invoice.TenantId);
    }
}
