namespace ReconMesh.InvoiceIngest.Invoices;

/// <summary>
/// An invoice the integration returned that ReconMesh could not take in, with the reason; the rest of its page
/// synced. Kept per (connection, invoice): re-reading the same bad invoice updates the entry instead of adding one.
/// </summary>
public sealed class IngestException
{
    public string Id { get; set; } = "";

    public string TenantId { get; set; } = "";

    public Guid ConnectionId { get; set; }

    public string ExternalInvoiceId { get; set; } = "";

    public string Reason { get; set; } = "";

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public static string KeyFor(Guid connectionId, string externalInvoiceId) => $"{connectionId:N}/{externalInvoiceId}";
}
