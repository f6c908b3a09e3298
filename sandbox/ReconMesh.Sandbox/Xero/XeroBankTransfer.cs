namespace ReconMesh.Sandbox.Xero;

/// <summary>Money moved from one BANK account to another (a payout from a clearing account to the bank). Never changed.</summary>
internal sealed class XeroBankTransfer
{
    public required Guid BankTransferId { get; init; }

    public required XeroAccount From { get; init; }

    public required XeroAccount To { get; init; }

    public required decimal Amount { get; init; }

    public required DateOnly Date { get; init; }

    public string? Reference { get; init; }

    /// <summary>The two bank transactions Xero creates for a transfer (one out, one in).</summary>
    public Guid FromBankTransactionId { get; } = Guid.NewGuid();

    public Guid ToBankTransactionId { get; } = Guid.NewGuid();

    public required DateTimeOffset CreatedUtc { get; init; }
}
