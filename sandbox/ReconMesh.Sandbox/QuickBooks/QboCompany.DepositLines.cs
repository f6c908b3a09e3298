using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>A deposit's lines, each checked on its own: a linked line deposits one whole payment, a direct line posts to an account.</summary>
internal sealed partial class QboCompany
{
    private const string DepositLine = "DepositLineDetail";

    /// <summary>Account types a direct deposit line may post to, per Intuit's Deposit reference.</summary>
    private static readonly HashSet<string> DepositLineAccountTypes = new(StringComparer.Ordinal)
    {
        "Income", "Other Income", "Expense", "Other Expense", "Other Current Asset", "Equity", "Cost of Goods Sold",
    };

    /// <summary>
    /// A linked line: exactly one Payment, which exists, is not voided, sits in Undeposited Funds, is not in another
    /// deposit (or twice in this one), and whose whole TotalAmt is the line's Amount.
    /// </summary>
    private string LinkedPayment(JsonObject line, JsonArray links, int lineNumber, decimal amount, QboRecord? existing, List<string> taken)
    {
        if (links.Count > 1 || links[0] is not JsonObject link)
        {
            throw QboFaults.Business($"Line {lineNumber}: a deposit line links exactly one transaction.", "Line.LinkedTxn");
        }

        if (QboJson.GetString(line, "DetailType") is { Length: > 0 } detailType)
        {
            throw QboFaults.Business($"Line {lineNumber}: a line with LinkedTxn has no DetailType (got {detailType}).", "Line.DetailType");
        }

        var (txnId, txnType) = RequiredLink(link);

        if (!string.Equals(txnType, QboSchemas.Payment, StringComparison.OrdinalIgnoreCase))
        {
            throw QboFaults.Business(
                $"Line {lineNumber}: depositing a {txnType} is not supported by the QuickBooks simulator; link a Payment.", "Line.LinkedTxn.TxnType");
        }

        var txnLineId = QboJson.GetString(link, "TxnLineId")?.Trim();
        if (string.IsNullOrEmpty(txnLineId))
        {
            throw QboFaults.Required("Line.LinkedTxn.TxnLineId");
        }

        if (txnLineId != "0")
        {
            throw QboFaults.Business($"Line {lineNumber}: a Payment is deposited whole, with TxnLineId \"0\" (got \"{txnLineId}\").", "Line.LinkedTxn.TxnLineId");
        }

        var payment = Find(QboSchemas.Payment, txnId);
        if (payment is null || payment.Deleted)
        {
            throw QboFaults.Business($"Line {lineNumber}: Payment {txnId} does not exist.", "Line.LinkedTxn.TxnId");
        }

        if (payment.Voided)
        {
            throw QboFaults.Business($"Line {lineNumber}: Payment {txnId} is voided and cannot be deposited.", "Line.LinkedTxn.TxnId");
        }

        var account = Find(QboSchemas.Account, QboJson.RefValue(payment.Doc, "DepositToAccountRef"));
        if (account is null || !IsUndepositedFunds(account))
        {
            throw QboFaults.Business(
                $"Line {lineNumber}: Payment {txnId} is not in Undeposited Funds (it was deposited directly to account {QboJson.RefValue(payment.Doc, "DepositToAccountRef")}).",
                "Line.LinkedTxn.TxnId");
        }

        if (taken.Contains(txnId, StringComparer.Ordinal))
        {
            throw QboFaults.Business($"Line {lineNumber}: Payment {txnId} is listed more than once in this deposit.", "Line.LinkedTxn.TxnId");
        }

        if (DepositOf(txnId) is { } depositId && depositId != existing?.Id)
        {
            throw QboFaults.Business($"Line {lineNumber}: Payment {txnId} has already been deposited (Deposit {depositId}).", "Line.LinkedTxn.TxnId");
        }

        var paymentTotal = QboJson.GetDecimal(payment.Doc, "TotalAmt") ?? 0m;
        if (amount != paymentTotal)
        {
            throw QboFaults.Business(
                $"Line {lineNumber}: the amount {Money(amount)} must equal the total of Payment {txnId} ({Money(paymentTotal)}); a payment is deposited whole.",
                "Line.Amount");
        }

        return txnId;
    }

    /// <summary>A direct line: DepositLineDetail with an AccountRef of a type a deposit may post to; the amount may be negative.</summary>
    private JsonObject DirectLine(JsonObject line, int lineNumber, int directNumber, decimal amount)
    {
        var detailType = QboJson.GetString(line, "DetailType")?.Trim();
        if (string.IsNullOrEmpty(detailType))
        {
            throw QboFaults.Required("Line.DetailType");
        }

        if (detailType != DepositLine)
        {
            throw QboFaults.InvalidEnumeration("Line.DetailType", detailType);
        }

        if (line[DepositLine] is not JsonObject detail)
        {
            throw QboFaults.Required("Line.DepositLineDetail");
        }

        var account = RequireAccount(detail["AccountRef"] as JsonObject, "Line.DepositLineDetail.AccountRef");
        var accountType = QboJson.GetString(account.Doc, "AccountType") ?? "";
        if (!DepositLineAccountTypes.Contains(accountType))
        {
            throw QboFaults.Business(
                $"Line {lineNumber}: a deposit line cannot post to account {account.Id} of type {accountType}.", "Line.DepositLineDetail.AccountRef");
        }

        var copy = (JsonObject)line.DeepClone();
        var copiedDetail = (JsonObject)copy[DepositLine]!;
        copiedDetail["AccountRef"] = QboJson.Ref(account.Id, QboJson.GetString(account.Doc, "Name"));
        copy.Remove("LinkedTxn");
        copy["Id"] = directNumber.ToString(CultureInfo.InvariantCulture);
        copy["LineNum"] = directNumber;
        copy["Amount"] = amount;
        return copy;
    }
}
