namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Bank transfers and spend/receive transactions, and the double entry behind every balance the simulator keeps:
/// a debit raises asset and expense accounts and lowers the others, a credit the opposite.
/// </summary>
internal sealed partial class XeroOrganisation
{
    public Dictionary<Guid, XeroBankTransfer> BankTransfers { get; } = [];

    public Dictionary<Guid, XeroBankTransaction> BankTransactions { get; } = [];

    /// <summary>Moves a validated amount from one BANK account to another.</summary>
    public XeroBankTransfer Transfer(XeroAccount from, XeroAccount to, decimal amount, DateOnly date, string? reference)
    {
        var transfer = new XeroBankTransfer
        {
            BankTransferId = Guid.NewGuid(), From = from, To = to, Amount = amount, Date = date, Reference = reference, CreatedUtc = Now,
        };
        BankTransfers.Add(transfer.BankTransferId, transfer);
        Credit(from, amount);
        Debit(to, amount);
        return transfer;
    }

    /// <summary>Records a validated SPEND (bank credited, lines debited) or RECEIVE (bank debited, lines credited).</summary>
    public XeroBankTransaction Record(string type, XeroContact contact, XeroAccount bank, IReadOnlyList<XeroLineItem> lines, DateOnly date,
        string? reference, bool isReconciled)
    {
        var transaction = new XeroBankTransaction
        {
            BankTransactionId = Guid.NewGuid(), Type = type, Contact = contact, BankAccount = bank, LineItems = lines, Date = date,
            Reference = reference, IsReconciled = isReconciled, UpdatedUtc = Now,
        };
        BankTransactions.Add(transaction.BankTransactionId, transaction);
        Book(transaction, +1);
        return transaction;
    }

    /// <summary>Deletes a bank transaction: its postings are reversed.</summary>
    public void Delete(XeroBankTransaction transaction)
    {
        transaction.Status = "DELETED";
        transaction.UpdatedUtc = Now;
        Book(transaction, -1);
    }

    private void Book(XeroBankTransaction transaction, int sign)
    {
        var spend = transaction.Type == "SPEND" ? sign : -sign;
        Credit(transaction.BankAccount, spend * transaction.Total);
        foreach (var line in transaction.LineItems)
        {
            Debit(_accountsByCode[line.AccountCode], spend * line.LineAmount);
        }
    }

    private void Debit(XeroAccount account, decimal amount)
    {
        account.Balance += account.Class is "ASSET" or "EXPENSE" ? amount : -amount;
        account.UpdatedUtc = Now;
    }

    private void Credit(XeroAccount account, decimal amount) => Debit(account, -amount);
}
