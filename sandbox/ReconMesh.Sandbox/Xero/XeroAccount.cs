namespace ReconMesh.Sandbox.Xero;

/// <summary>An account of the chart of accounts, with the balance the simulator keeps for it (not part of Xero's Account).</summary>
internal sealed class XeroAccount
{
    /// <summary>Xero's account types; the first word of each pair is the type, the second its class.</summary>
    public static readonly IReadOnlyDictionary<string, string> Classes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["BANK"] = "ASSET", ["CURRENT"] = "ASSET", ["FIXED"] = "ASSET", ["NONCURRENT"] = "ASSET", ["PREPAYMENT"] = "ASSET",
        ["CURRLIAB"] = "LIABILITY", ["LIABILITY"] = "LIABILITY", ["TERMLIAB"] = "LIABILITY", ["EQUITY"] = "EQUITY",
        ["REVENUE"] = "REVENUE", ["SALES"] = "REVENUE", ["OTHERINCOME"] = "REVENUE",
        ["EXPENSE"] = "EXPENSE", ["DIRECTCOSTS"] = "EXPENSE", ["OVERHEADS"] = "EXPENSE", ["DEPRECIATN"] = "EXPENSE",
    };

    public required Guid AccountId { get; init; }

    public required string Code { get; init; }

    public required string Name { get; init; }

    public required string Type { get; init; }

    public string Class => Classes[Type];

    /// <summary>ACTIVE or ARCHIVED.</summary>
    public string Status { get; set; } = "ACTIVE";

    /// <summary>Payments may be made to the account although it is not a BANK account (a clearing account).</summary>
    public bool EnablePaymentsToAccount { get; init; }

    public string? BankAccountNumber { get; init; }

    public required string CurrencyCode { get; init; }

    /// <summary>Debit-positive for asset and expense accounts, credit-positive for the others (the sign a report shows).</summary>
    public decimal Balance { get; set; }

    public DateTimeOffset UpdatedUtc { get; set; }

    /// <summary>Payments may be made to BANK accounts and to accounts with payments enabled.</summary>
    public bool AcceptsPayments => Type == "BANK" || EnablePaymentsToAccount;
}
