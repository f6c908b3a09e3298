using MassTransit;

namespace ReconMesh.Contracts.Invoices;

/// <summary>
/// The current state of an invoice in a tenant's integration, as ReconMesh recorded it when it saw the invoice change
/// (first sync, an edit, a balance change made in the integration). It travels in <see cref="InvoicesSynced"/>, with
/// other invoices of the same connection. Deprecated as a message of its own since 1.4.0: published alone too only while
/// the deployment keeps <c>ReconMesh:Contracts:PublishInvoiceSyncedAlone</c> on (the default until 2.0.0), for
/// consumers that have not moved to <see cref="InvoicesSynced"/>. Consumers keep the highest
/// <see cref="Revision"/> they have seen for an <see cref="InvoiceId"/> and ignore older ones: delivery is at least
/// once and may reorder across invoices.
/// </summary>
/// <param name="InvoiceId">ReconMesh's id for the invoice; stable for (connection, external id). Payments allocate to it.</param>
/// <param name="Revision">Version of the invoice's stream when this state was recorded; increases with every change.</param>
/// <param name="TenantId">The partner that owns the connection.</param>
/// <param name="ConnectionId">The tenant's connection the invoice came through.</param>
/// <param name="Integration">The kind of integration.</param>
/// <param name="ExternalId">The invoice's id in the integration (QuickBooks <c>Invoice.Id</c>, ConnectWise invoice id).</param>
/// <param name="Number">The invoice number shown to the customer (QuickBooks <c>DocNumber</c>).</param>
/// <param name="CustomerExternalId">The billed customer's id in the integration.</param>
/// <param name="CustomerName">The billed customer's display name.</param>
/// <param name="Currency">ISO 4217 code of every amount on the invoice.</param>
/// <param name="Total">Invoice total, exact.</param>
/// <param name="Balance">Amount still owed, exact; 0 when fully paid.</param>
/// <param name="IssueDate">The invoice date.</param>
/// <param name="DueDate">When payment is due, if the integration says.</param>
/// <param name="Lines">The billed lines.</param>
/// <param name="SyncedAt">When ReconMesh recorded this state.</param>
[MessageUrn("urn:reconmesh:invoices:invoice-synced:v1", false)]
[EntityName("reconmesh.invoices.invoice-synced")]
public sealed record InvoiceSynced(
    Guid InvoiceId,
    long Revision,
    string TenantId,
    Guid ConnectionId,
    IntegrationKind Integration,
    string ExternalId,
    string Number,
    string CustomerExternalId,
    string CustomerName,
    string Currency,
    decimal Total,
    decimal Balance,
    DateOnly IssueDate,
    DateOnly? DueDate,
    IReadOnlyList<InvoiceLine> Lines,
    DateTimeOffset SyncedAt);
