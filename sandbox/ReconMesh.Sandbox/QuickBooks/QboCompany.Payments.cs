using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

internal sealed partial class QboCompany
{
    private const string UndepositedFundsId = "4";

    public QboRecord CreatePayment(JsonObject input)
    {
        var (doc, applications) = BuildPayment(input, existing: null);
        var id = NextId(ref _nextTxnId);
        var now = Clock.NowStamp();
        doc["Id"] = id;
        doc["SyncToken"] = "0";
        doc["MetaData"] = QboJson.MetaData(now, now);
        var record = new QboRecord(QboSchemas.Payment, id, doc);
        Add(record);
        NoteBooking(id, doc);
        Apply(id, new Dictionary<string, decimal>(StringComparer.Ordinal), applications, now);
        PostToLedger(QboSchemas.Payment, doc, 1);
        Notify(record, QboChangeOperation.Create);
        return record;
    }

    public QboRecord UpdatePayment(JsonObject input, bool sparse)
    {
        var record = RequireCurrent(QboSchemas.Payment, input);
        RequireNotDeposited(record);
        if (record.Voided)
        {
            throw QboFaults.Business("This payment has been voided and can no longer be changed.");
        }

        var previous = Applications(record.Doc);
        var source = sparse ? Overlay(record.Doc, input) : input;
        var (doc, applications) = BuildPayment(source, record);
        var now = Clock.NowStamp();
        doc["Id"] = record.Id;
        doc["SyncToken"] = record.Doc["SyncToken"]!.DeepClone();
        doc["MetaData"] = record.Doc["MetaData"]!.DeepClone();
        Touch(doc, now);
        PostToLedger(QboSchemas.Payment, record.Doc, -1);
        record.Doc = doc;
        Apply(record.Id, previous, applications, now);
        PostToLedger(QboSchemas.Payment, doc, 1);
        Notify(record, QboChangeOperation.Update);
        return record;
    }

    /// <summary>
    /// <c>operation=update&amp;include=void</c>: TotalAmt and lines zeroed, "Voided" prefixed to the note, and the invoices it
    /// paid get their balances back.
    /// </summary>
    public QboRecord VoidPayment(JsonObject input)
    {
        var record = RequireCurrent(QboSchemas.Payment, input);
        RequireNotDeposited(record);
        var previous = Applications(record.Doc);
        var now = Clock.NowStamp();
        var doc = record.Doc;
        PostToLedger(QboSchemas.Payment, doc, -1);
        doc["TotalAmt"] = 0m;
        doc["UnappliedAmt"] = 0m;
        doc["Line"] = new JsonArray();
        var note = QboJson.GetString(doc, "PrivateNote");
        if (!record.Voided)
        {
            doc["PrivateNote"] = string.IsNullOrWhiteSpace(note) ? "Voided" : "Voided - " + note;
        }

        Touch(record, now);
        record.Voided = true;
        Apply(record.Id, previous, new Dictionary<string, decimal>(StringComparer.Ordinal), now);
        PostToLedger(QboSchemas.Payment, doc, 1);
        Notify(record, QboChangeOperation.Void);
        return record;
    }

    public QboRecord DeletePayment(JsonObject input)
    {
        var record = RequireCurrent(QboSchemas.Payment, input);
        RequireNotDeposited(record);
        var previous = Applications(record.Doc);
        var now = Clock.NowStamp();
        PostToLedger(QboSchemas.Payment, record.Doc, -1);
        Touch(record, now);
        record.Deleted = true;
        Apply(record.Id, previous, new Dictionary<string, decimal>(StringComparer.Ordinal), now);
        Notify(record, QboChangeOperation.Delete);
        return record;
    }

    /// <summary>A payment listed on a deposit cannot be updated, voided or deleted until the deposit lets it go (6540).</summary>
    private void RequireNotDeposited(QboRecord payment)
    {
        if (DepositOf(payment.Id) is not null)
        {
            throw QboFaults.Deposited();
        }
    }

    /// <summary>
    /// Checks a payment completely before anything changes: customer, amount, every linked invoice (exists, same
    /// customer, enough open balance counting what this payment already applied), deposit account and currency.
    /// </summary>
    private (JsonObject Doc, Dictionary<string, decimal> Applications) BuildPayment(JsonObject input, QboRecord? existing)
    {
        var customer = RequireCustomer(input);
        var total = QboJson.GetDecimal(input, "TotalAmt") ?? throw QboFaults.Business("You must set a transaction amount.", "TotalAmt");
        if (total < 0m)
        {
            throw QboFaults.Business("The payment amount cannot be negative.", "TotalAmt");
        }

        var previous = existing is null ? new Dictionary<string, decimal>(StringComparer.Ordinal) : Applications(existing.Doc);
        var applications = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var lines = new JsonArray();
        var lineNumber = 0;
        foreach (var node in input["Line"] as JsonArray ?? [])
        {
            lineNumber++;
            if (node is not JsonObject line)
            {
                continue;
            }

            var amount = QboJson.GetDecimal(line, "Amount") ?? throw QboFaults.Required("Line.Amount");
            if (amount < 0m)
            {
                throw QboFaults.Business($"Line {lineNumber}: the amount applied to a transaction cannot be negative.", "Line.Amount");
            }

            if (line["LinkedTxn"] is not JsonArray links || links.Count == 0 || links[0] is not JsonObject link)
            {
                throw QboFaults.Required("Line.LinkedTxn");
            }

            if (links.Count > 1)
            {
                throw QboFaults.Business($"Line {lineNumber}: a payment line links exactly one transaction.", "Line.LinkedTxn");
            }

            var (txnId, txnType) = RequiredLink(link);

            if (!string.Equals(txnType, QboSchemas.Invoice, StringComparison.OrdinalIgnoreCase))
            {
                throw QboFaults.Business($"Line {lineNumber}: linking a payment to a {txnType} is not supported by the QuickBooks simulator; link an Invoice.", "Line.LinkedTxn.TxnType");
            }

            var invoice = Find(QboSchemas.Invoice, txnId);
            if (invoice is null || invoice.Deleted)
            {
                throw QboFaults.Business($"Line {lineNumber}: Invoice {txnId} does not exist.", "Line.LinkedTxn.TxnId");
            }

            var invoiceCustomer = QboJson.RefValue(invoice.Doc, "CustomerRef");
            if (invoiceCustomer != customer.Id)
            {
                throw QboFaults.Business(
                    $"Line {lineNumber}: Invoice {txnId} belongs to customer {invoiceCustomer}, not to the payment's customer {customer.Id}.",
                    "Line.LinkedTxn.TxnId");
            }

            applications[txnId] = applications.GetValueOrDefault(txnId) + amount;
            lines.Add(new JsonObject
            {
                ["Amount"] = amount,
                ["LinkedTxn"] = new JsonArray(new JsonObject { ["TxnId"] = txnId, ["TxnType"] = QboSchemas.Invoice }),
            });
        }

        foreach (var (invoiceId, amount) in applications)
        {
            var invoice = Find(QboSchemas.Invoice, invoiceId)!;
            var open = (QboJson.GetDecimal(invoice.Doc, "Balance") ?? 0m) + previous.GetValueOrDefault(invoiceId);
            if (amount > open)
            {
                var voided = invoice.Voided ? " (it is voided)" : "";
                throw QboFaults.Business(
                    $"Invoice {invoiceId} has an open balance of {Money(open)}{voided}, less than the {Money(amount)} applied to it.",
                    "Line.Amount");
            }
        }

        var applied = applications.Values.Sum();
        var unapplied = total - applied;
        if (unapplied < 0m)
        {
            throw QboFaults.Business($"The amount applied to invoices ({Money(applied)}) exceeds the payment's TotalAmt ({Money(total)}).", "TotalAmt");
        }

        var depositTo = input["DepositToAccountRef"] is JsonObject requestedAccount && QboJson.RefValue(input, "DepositToAccountRef") is { Length: > 0 }
            ? (JsonObject)requestedAccount.DeepClone()
            : QboJson.Ref(UndepositedFundsId);
        var account = Find(QboSchemas.Account, QboJson.GetString(depositTo, "value"));
        if (account is null || QboJson.GetBool(account.Doc, "Active") == false)
        {
            throw QboFaults.InvalidReference("DepositToAccountRef", $"DepositToAccountRef={QboJson.GetString(depositTo, "value")}");
        }

        if (QboJson.GetString(account.Doc, "AccountType") is not ("Bank" or "Other Current Asset"))
        {
            throw QboFaults.Business("The deposit-to account of a payment must be a Bank or Other Current Asset account.", "DepositToAccountRef");
        }

        var customerCurrency = CurrencyOf(customer.Doc);
        var currency = QboJson.RefValue(input, "CurrencyRef") ?? customerCurrency;
        if (!string.Equals(currency, customerCurrency, StringComparison.OrdinalIgnoreCase))
        {
            throw QboFaults.Business($"The currency of the transaction ({currency}) must match the customer's currency ({customerCurrency}).", "CurrencyRef");
        }

        var doc = new JsonObject
        {
            ["CustomerRef"] = QboJson.Ref(customer.Id, QboJson.GetString(customer.Doc, "DisplayName")),
            ["DepositToAccountRef"] = depositTo,
            ["TotalAmt"] = total,
            ["UnappliedAmt"] = unapplied,
            ["TxnDate"] = QboJson.GetString(input, "TxnDate") ?? (existing is null ? null : QboJson.GetString(existing.Doc, "TxnDate")) ?? Clock.Today,
            ["CurrencyRef"] = Currency(currency),
            ["ProcessPayment"] = QboJson.GetBool(input, "ProcessPayment") ?? false,
            ["Line"] = lines,
            ["domain"] = "QBO",
            ["sparse"] = false,
        };
        CopyWritable(input, doc, QboSchemas.PaymentSchema, "CustomerRef", "DepositToAccountRef", "TotalAmt", "TxnDate", "CurrencyRef", "ProcessPayment", "Line");
        return (doc, applications);
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
