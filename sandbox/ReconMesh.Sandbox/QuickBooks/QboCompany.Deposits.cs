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
}
