namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Money spent from (SPEND) or received into (RECEIVE) a bank account outside invoices, e.g. a processor's fee. Its
/// lines post to their accounts; deleting it (Status DELETED) takes the postings back.
/// </summary>
internal sealed class XeroBankTransaction
{
    public required Guid BankTransactionId { get; init; }

    /// <summary>SPEND or RECEIVE.</summary>
    public required string Type { get; init; }

    public required XeroContact Contact { get; init; }

    public required XeroAccount BankAccount { get; init; }

    public required IReadOnlyList<XeroLineItem> LineItems { get; init; }

    public required DateOnly Date { get; init; }

    public string? Reference { get; init; }

    public bool IsReconciled { get; init; }

    /// <summary>AUTHORISED, or DELETED once deleted.</summary>
    public string Status { get; set; } = "AUTHORISED";

    public decimal Total => LineItems.Sum(l => l.LineAmount);

    public DateTimeOffset UpdatedUtc { get; set; }
}
