using MassTransit;

namespace ReconMesh.Contracts.Invoices;

/// <summary>
/// The billing contact of a customer in a tenant's integration, published when first seen and whenever it changes,
/// so invoice notices reach the right people.
/// </summary>
/// <param name="TenantId">The partner that owns the connection.</param>
/// <param name="ConnectionId">The connection the contact came through.</param>
/// <param name="Integration">The kind of integration.</param>
/// <param name="CustomerExternalId">The customer's id in the integration.</param>
/// <param name="CustomerName">The customer's display name.</param>
/// <param name="ContactName">The person or mailbox to address, if the integration names one.</param>
/// <param name="Email">Where invoice notices go; null when the integration has none.</param>
/// <param name="Phone">A phone number, if any.</param>
/// <param name="SyncedAt">When ReconMesh recorded this state.</param>
[MessageUrn("urn:reconmesh:invoices:billing-contact-synced:v1", false)]
[EntityName("reconmesh.invoices.billing-contact-synced")]
public sealed record BillingContactSynced(
    string TenantId,
    Guid ConnectionId,
    IntegrationKind Integration,
    string CustomerExternalId,
    string CustomerName,
    string? ContactName,
    string? Email,
    string? Phone,
    DateTimeOffset SyncedAt);
