using MassTransit;

namespace ReconMesh.Contracts.Invoices;

/// <summary>
/// The current state of up to <see cref="MaxInvoices"/> invoices of one connection, published whenever ReconMesh sees
/// them change: a page of an initial sync travels as a handful of these, a single edit as one of one invoice. Each
/// element is an <see cref="InvoiceSynced"/> state; consumers keep the highest <see cref="InvoiceSynced.Revision"/>
/// they have seen for an <see cref="InvoiceSynced.InvoiceId"/> and ignore older ones: delivery is at least once, a
/// state may be carried again in another message (a replay, a relay page published again), and messages may be
/// reordered. An invoice appears at most once in a message, in its newest state the relay had.
/// </summary>
/// <param name="TenantId">The partner that owns the connection; every element names the same.</param>
/// <param name="ConnectionId">The connection every element came through.</param>
/// <param name="Invoices">One to <see cref="MaxInvoices"/> invoice states, with <see cref="MaxLines"/> billed lines in all at
/// most (an invoice with more lines than a message may carry travels alone).</param>
[MessageUrn("urn:reconmesh:invoices:invoices-synced:v1", false)]
[EntityName("reconmesh.invoices.invoices-synced")]
public sealed record InvoicesSynced(string TenantId, Guid ConnectionId, IReadOnlyList<InvoiceSynced> Invoices)
{
    /// <summary>The most invoices one message carries.</summary>
    public const int MaxInvoices = 100;

    /// <summary>The most billed lines one message carries in all, unless one invoice alone has more.</summary>
    public const int MaxLines = 2000;
}
