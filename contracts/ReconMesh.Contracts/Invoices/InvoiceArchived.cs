using MassTransit;

namespace ReconMesh.Contracts.Invoices;

/// <summary>
/// An invoice was deleted in its integration: it is archived in ReconMesh and should no longer be offered for payment.
/// Payments that still name it are not written blindly: they need a person.
/// </summary>
/// <param name="InvoiceId">ReconMesh's id for the invoice.</param>
/// <param name="TenantId">The partner that owns the connection.</param>
/// <param name="ConnectionId">The connection the invoice came through.</param>
/// <param name="ExternalId">The invoice's id in the integration.</param>
/// <param name="Reason">Why it was archived, e.g. "deleted in QuickBooks Online".</param>
/// <param name="ArchivedAt">When ReconMesh archived it.</param>
[MessageUrn("urn:reconmesh:invoices:invoice-archived:v1", false)]
[EntityName("reconmesh.invoices.invoice-archived")]
public sealed record InvoiceArchived(Guid InvoiceId, string TenantId, Guid ConnectionId, string ExternalId, string Reason, DateTimeOffset ArchivedAt);
