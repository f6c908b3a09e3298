namespace ReconMesh.Sandbox.Xero;

/// <summary>A payment of an ACCREC invoice into a bank or payments-enabled account. Payments are never edited, only deleted.</summary>
internal sealed class XeroPayment
{
    public required Guid PaymentId { get; init; }

    public required XeroInvoice Invoice { get; init; }

    public required XeroAccount Account { get; init; }

    public required DateOnly Date { get; init; }

    public required decimal Amount { get; init; }

    public string? Reference { get; init; }

    public decimal CurrencyRate { get; init; } = 1m;

    public bool IsReconciled { get; init; }

    /// <summary>AUTHORISED, or DELETED once deleted.</summary>
    public string Status { get; set; } = "AUTHORISED";

    public string PaymentType { get; init; } = "ACCRECPAYMENT";

    public DateTimeOffset UpdatedUtc { get; set; }
}
