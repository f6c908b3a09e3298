namespace ReconMesh.InvoiceIngest.Invoices;

/// <summary>The latest state of an invoice's stream, kept inline with every append so a sync can compare in bulk.</summary>
public sealed class InvoiceView
{
    public Guid Id { get; set; }

    public long Version { get; set; }

    public InvoiceSnapshot Invoice { get; set; } = null!;

    public static InvoiceView Create(InvoiceImported e) => new() { Id = e.Invoice.InvoiceId, Invoice = e.Invoice };

    /// <summary>Deleted in the integration: kept for its history, offered for payment no more.</summary>
    public bool Archived { get; set; }

    public void Apply(InvoiceChangedInIntegration e) => Invoice = e.Invoice;

    public void Apply(InvoiceArchivedInIntegration e) => Archived = true;
}

/// <summary>The latest billing contact of a customer.</summary>
public sealed class BillingContactView
{
    public Guid Id { get; set; }

    public long Version { get; set; }

    public BillingContactRecorded Contact { get; set; } = null!;

    public static BillingContactView Create(BillingContactRecorded e) => new() { Contact = e };

    public void Apply(BillingContactRecorded e) => Contact = e;

    public bool SameAs(BillingContactRecorded other) =>
        Contact with { ReadAt = default } == other with { ReadAt = default };
}
