namespace ReconMesh.Sandbox.Xero;

/// <summary>An invoice of an organisation (the simulator serves ACCREC: sales invoices). Only touched under the organisation's lock.</summary>
internal sealed class XeroInvoice
{
    public required Guid InvoiceId { get; init; }

    public required string InvoiceNumber { get; init; }

    public string Type { get; init; } = "ACCREC";

    public string? Reference { get; init; }

    public required XeroContact Contact { get; init; }

    public required DateOnly Date { get; init; }

    public DateOnly? DueDate { get; init; }

    /// <summary>DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED or DELETED.</summary>
    public required string Status { get; set; }

    public required string CurrencyCode { get; init; }

    public required IReadOnlyList<XeroLineItem> LineItems { get; init; }

    public decimal Total => LineItems.Sum(l => l.LineAmount);

    public decimal AmountPaid { get; set; }

    public decimal AmountDue => Total - AmountPaid;

    /// <summary>The payments applied and not deleted, oldest first.</summary>
    public List<XeroPayment> Payments { get; } = [];

    public DateOnly? FullyPaidOnDate { get; set; }

    public DateTimeOffset UpdatedUtc { get; set; }
}
