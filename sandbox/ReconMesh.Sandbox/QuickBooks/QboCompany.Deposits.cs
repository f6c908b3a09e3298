using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// Deposits: moving payments out of Undeposited Funds into a bank account (linked lines), with direct lines to other
/// accounts (a negative line for the processor's fees). A payment that sits in a deposit is locked (6540) until the
/// deposit is deleted or no longer lists it.
/// </summary>
internal sealed partial class QboCompany
{
    private const string DepositLine = "DepositLineDetail";

    /// <summary>Account types a direct deposit line may post to, per Intuit's Deposit reference.</summary>
    private static readonly HashSet<string> DepositLineAccountTypes = new(StringComparer.Ordinal)
    {
        "Income", "Other Income", "Expense", "Other Expense", "Other Current Asset", "Equity", "Cost of Goods Sold",
    };

    /// <summary>Payment id → id of the (live) deposit that lists it.</summary>
    private readonly Dictionary<string, string> _depositOfPayment = new(StringComparer.Ordinal);

    /// <summary>The deposit a payment is in, or null.</summary>
    public string? DepositOf(string paymentId) => _depositOfPayment.GetValueOrDefault(paymentId);

    public QboRecord CreateDeposit(JsonObject input)
    {
        var (doc, payments) = BuildDeposit(input, existing: null);
        var id = NextId(ref _nextTxnId);
        var now = Clock.NowStamp();
        doc["Id"] = id;
        doc["SyncToken"] = "0";
        doc["MetaData"] = QboJson.MetaData(now, now);
        var record = new QboRecord(QboSchemas.Deposit, id, doc);
        Add(record);
        foreach (var paymentId in payments)
        {
            _depositOfPayment[paymentId] = id;
        }

        PostToLedger(QboSchemas.Deposit, doc, 1);
        Notify(record, QboChangeOperation.Create);
        return record;
    }

    /// <summary>A full (or sparse) update: the deposit's lines are replaced; payments it no longer lists are freed.</summary>
    public QboRecord UpdateDeposit(JsonObject input, bool sparse)
    {
        var record = RequireCurrent(QboSchemas.Deposit, input);
        var source = sparse ? Overlay(record.Doc, input) : input;
        var (doc, payments) = BuildDeposit(source, record);
        PostToLedger(QboSchemas.Deposit, record.Doc, -1);
        ReleasePayments(record.Id);
        doc["Id"] = record.Id;
        doc["SyncToken"] = record.Doc["SyncToken"]!.DeepClone();
        doc["MetaData"] = record.Doc["MetaData"]!.DeepClone();
        Touch(doc, Clock.NowStamp());
        record.Doc = doc;
        foreach (var paymentId in payments)
        {
            _depositOfPayment[paymentId] = record.Id;
        }

        PostToLedger(QboSchemas.Deposit, doc, 1);
        Notify(record, QboChangeOperation.Update);
        return record;
    }

    /// <summary>Deleting a deposit takes its postings back and frees its payments (they are in Undeposited Funds again).</summary>
    public QboRecord DeleteDeposit(JsonObject input)
    {
        var record = RequireCurrent(QboSchemas.Deposit, input);
        PostToLedger(QboSchemas.Deposit, record.Doc, -1);
        ReleasePayments(record.Id);
        Touch(record, Clock.NowStamp());
        record.Deleted = true;
        Notify(record, QboChangeOperation.Delete);
        return record;
    }

    /// <summary>The payment id a deposit line links, or null for a direct line.</summary>
    private static string? DepositedPaymentId(JsonObject line) =>
        line["LinkedTxn"] is JsonArray { Count: > 0 } links && links[0] is JsonObject link
        && string.Equals(QboJson.GetString(link, "TxnType"), QboSchemas.Payment, StringComparison.OrdinalIgnoreCase)
            ? QboJson.GetString(link, "TxnId")?.Trim()
            : null;

    private void ReleasePayments(string depositId)
    {
        foreach (var paymentId in _depositOfPayment.Where(p => p.Value == depositId).Select(p => p.Key).ToList())
        {
            _depositOfPayment.Remove(paymentId);
        }
    }

    /// <summary>Checks a deposit completely before anything changes, and returns it with the ids of the payments it deposits.</summary>
    private (JsonObject Doc, List<string> Payments) BuildDeposit(JsonObject input, QboRecord? existing)
    {
        var target = RequireAccount(input["DepositToAccountRef"] as JsonObject, "DepositToAccountRef");
        var targetType = QboJson.GetString(target.Doc, "AccountType");
        if (targetType is not ("Bank" or "Other Current Asset") || IsUndepositedFunds(target))
        {
            throw QboFaults.Business(
                $"The deposit-to account ({QboJson.GetString(target.Doc, "Name")}, {targetType}) must be a Bank or Other Current Asset account other than Undeposited Funds.",
                "DepositToAccountRef");
        }

        if (input["Line"] is not JsonArray requested || requested.Count == 0)
        {
            throw QboFaults.Required("Line");
        }

        var payments = new List<string>();
        var lines = new JsonArray();
        var total = 0m;
        var lineNumber = 0;
        var directLines = 0;
        foreach (var node in requested)
        {
            lineNumber++;
            if (node is not JsonObject line)
            {
                continue;
            }

            var amount = QboJson.GetDecimal(line, "Amount") ?? throw QboFaults.Required("Line.Amount");
            if (line["LinkedTxn"] is JsonArray { Count: > 0 } links)
            {
                var paymentId = LinkedPayment(line, links, lineNumber, amount, existing, payments);
                payments.Add(paymentId);
                var linked = new JsonObject
                {
                    ["Amount"] = amount,
                    ["LinkedTxn"] = new JsonArray(new JsonObject { ["TxnLineId"] = "0", ["TxnId"] = paymentId, ["TxnType"] = QboSchemas.Payment }),
                };
                if (QboJson.GetString(line, "Description") is { } description)
                {
                    linked["Description"] = description;
                }

                lines.Add(linked);
            }
            else
            {
                directLines++;
                lines.Add(DirectLine(line, lineNumber, directLines, amount));
            }

            total += amount;
        }

        if (lines.Count == 0)
        {
            throw QboFaults.Required("Line");
        }

        if (total < 0m)
        {
            throw QboFaults.Business($"The deposit total ({Money(total)}) cannot be negative.", "Line.Amount");
        }

        var doc = new JsonObject
        {
            ["DepositToAccountRef"] = QboJson.Ref(target.Id, QboJson.GetString(target.Doc, "Name")),
            ["TxnDate"] = QboJson.GetString(input, "TxnDate") ?? (existing is null ? null : QboJson.GetString(existing.Doc, "TxnDate")) ?? Clock.Today,
            ["TotalAmt"] = total,
            ["CurrencyRef"] = Currency(QboJson.RefValue(input, "CurrencyRef") ?? "USD"),
            ["Line"] = lines,
            ["domain"] = "QBO",
            ["sparse"] = false,
        };
        CopyWritable(input, doc, QboSchemas.DepositSchema, "DepositToAccountRef", "TxnDate", "CurrencyRef", "Line");
        return (doc, payments);
    }

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

        var txnId = QboJson.GetString(link, "TxnId")?.Trim();
        if (string.IsNullOrEmpty(txnId))
        {
            throw QboFaults.Required("Line.LinkedTxn.TxnId");
        }

        var txnType = QboJson.GetString(link, "TxnType")?.Trim();
        if (string.IsNullOrEmpty(txnType))
        {
            throw QboFaults.Required("Line.LinkedTxn.TxnType");
        }

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
