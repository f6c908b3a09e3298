using System.Text.Json.Serialization;

namespace ReconMesh.Integrations.Xero;

// Wire shapes of Xero's bank transfers and bank transactions, as far as ReconMesh writes and finds them again.

public sealed class XeroBankTransfersEnvelope
{
    public IReadOnlyList<XeroBankTransfer>? BankTransfers { get; init; }
}

public sealed class XeroBankTransfer
{
    [JsonPropertyName("BankTransferID")] public string BankTransferId { get; init; } = "";
    public decimal Amount { get; init; }
    public string? Reference { get; init; }
}

/// <summary>A transfer ReconMesh makes: from one BANK account to another, on a date (yyyy-MM-dd).</summary>
public sealed class XeroNewBankTransfer
{
    public required XeroAccountRef FromBankAccount { get; init; }
    public required XeroAccountRef ToBankAccount { get; init; }
    public decimal Amount { get; init; }
    public required string Date { get; init; }
    public string? Reference { get; init; }
}

public sealed class XeroBankTransactionsEnvelope
{
    public IReadOnlyList<XeroBankTransaction>? BankTransactions { get; init; }
}

public sealed class XeroBankTransaction
{
    [JsonPropertyName("BankTransactionID")] public string BankTransactionId { get; init; } = "";
    public string? Type { get; init; }
    public string? Status { get; init; }
    public decimal Total { get; init; }
    public string? Reference { get; init; }
}

/// <summary>A contact by name (Xero's bank transactions need one).</summary>
public sealed record XeroContactName(string Name);

public sealed record XeroNewLine(string Description, decimal Quantity, decimal UnitAmount, string AccountCode);

/// <summary>Money spent from a BANK account (<c>SPEND</c>), line by line to the accounts it went to.</summary>
public sealed class XeroNewBankTransaction
{
    public string Type { get; init; } = "SPEND";
    public required XeroContactName Contact { get; init; }
    public required XeroAccountRef BankAccount { get; init; }
    public required string Date { get; init; }
    public string? Reference { get; init; }
    public required IReadOnlyList<XeroNewLine> LineItems { get; init; }
}
