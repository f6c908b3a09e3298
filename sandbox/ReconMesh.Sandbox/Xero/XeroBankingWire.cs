using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Xero;

/// <summary>Xero's JSON shapes of bank transfers and bank transactions.</summary>
internal static class XeroBankingWire
{
    public static JsonObject Transfer(XeroBankTransfer transfer) => new()
    {
        ["BankTransferID"] = transfer.BankTransferId.ToString("D"),
        ["FromBankAccount"] = Account(transfer.From),
        ["ToBankAccount"] = Account(transfer.To),
        ["Amount"] = XeroWire.Money(transfer.Amount),
        ["Date"] = XeroDates.Json(transfer.Date),
        ["DateString"] = XeroDates.DateString(transfer.Date),
        ["CurrencyRate"] = 1.0m,
        ["FromBankTransactionID"] = transfer.FromBankTransactionId.ToString("D"),
        ["ToBankTransactionID"] = transfer.ToBankTransactionId.ToString("D"),
        ["FromIsReconciled"] = false,
        ["ToIsReconciled"] = false,
        ["Reference"] = transfer.Reference ?? "",
        ["HasAttachments"] = false,
        ["CreatedDateUTC"] = XeroDates.Json(transfer.CreatedUtc),
    };

    public static JsonObject Transaction(XeroBankTransaction transaction) => new()
    {
        ["BankTransactionID"] = transaction.BankTransactionId.ToString("D"),
        ["Type"] = transaction.Type,
        ["Contact"] = XeroWire.ContactSummary(transaction.Contact),
        ["LineItems"] = new JsonArray([.. transaction.LineItems.Select(l => (JsonNode)XeroWire.LineItem(l))]),
        ["BankAccount"] = Account(transaction.BankAccount),
        ["IsReconciled"] = transaction.IsReconciled,
        ["Date"] = XeroDates.Json(transaction.Date),
        ["DateString"] = XeroDates.DateString(transaction.Date),
        ["Reference"] = transaction.Reference ?? "",
        ["CurrencyCode"] = transaction.BankAccount.CurrencyCode,
        ["CurrencyRate"] = 1.0m,
        ["Status"] = transaction.Status,
        ["LineAmountTypes"] = "NoTax",
        ["SubTotal"] = XeroWire.Money(transaction.Total),
        ["TotalTax"] = 0.00m,
        ["Total"] = XeroWire.Money(transaction.Total),
        ["UpdatedDateUTC"] = XeroDates.Json(transaction.UpdatedUtc),
        ["HasAttachments"] = false,
    };

    private static JsonObject Account(XeroAccount account) => new()
    {
        ["AccountID"] = account.AccountId.ToString("D"),
        ["Code"] = account.Code,
        ["Name"] = account.Name,
    };
}
