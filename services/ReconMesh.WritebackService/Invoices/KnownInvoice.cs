using ReconMesh.Contracts;

namespace ReconMesh.WritebackService.Invoices;

/// <summary>
/// What WritebackService knows of an invoice, from the InvoiceSynced events it has heard: enough to find the invoice
/// in its integration and to check a payment against it. Kept at the highest revision heard.
/// </summary>
public sealed class KnownInvoice
{
    public Guid Id { get; set; }

    public long Revision { get; set; }

    public string TenantId { get; set; } = "";

    public Guid ConnectionId { get; set; }

    public IntegrationKind Integration { get; set; }

    public string ExternalId { get; set; } = "";

    public string Number { get; set; } = "";

    public string CustomerExternalId { get; set; } = "";

    public string Currency { get; set; } = "";

    public decimal Total { get; set; }

    public decimal Balance { get; set; }
}
