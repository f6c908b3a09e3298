using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

internal sealed partial class QboCompany
{
    public QboRecord CreateInvoice(JsonObject input, bool allowDuplicateDocNumber)
    {
        var doc = BuildInvoice(input, existing: null, allowDuplicateDocNumber);
        var id = NextId(ref _nextTxnId);
        var now = Clock.NowStamp();
        doc["Id"] = id;
        doc["SyncToken"] = "0";
        doc["MetaData"] = QboJson.MetaData(now, now);
        var record = new QboRecord(QboSchemas.Invoice, id, doc);
        Add(record);
        PostToLedger(QboSchemas.Invoice, doc, 1);
        RefreshCustomerBalances([QboJson.RefValue(doc, "CustomerRef")]);
        Notify(record, QboChangeOperation.Create);
        return record;
    }

    public QboRecord UpdateInvoice(JsonObject input, bool sparse, bool allowDuplicateDocNumber)
    {
        var record = RequireCurrent(QboSchemas.Invoice, input);
        if (record.Voided)
        {
            throw QboFaults.Business("This invoice has been voided and can no longer be changed.");
        }

        var source = sparse ? Overlay(record.Doc, input) : input;
        var doc = BuildInvoice(source, record, allowDuplicateDocNumber);
        var previousCustomer = QboJson.RefValue(record.Doc, "CustomerRef");
        doc["Id"] = record.Id;
        doc["SyncToken"] = record.Doc["SyncToken"]!.DeepClone();
        doc["MetaData"] = record.Doc["MetaData"]!.DeepClone();
        Touch(doc, Clock.NowStamp());
        PostToLedger(QboSchemas.Invoice, record.Doc, -1);
        record.Doc = doc;
        PostToLedger(QboSchemas.Invoice, doc, 1);
        RefreshCustomerBalances([previousCustomer, QboJson.RefValue(doc, "CustomerRef")]);
        Notify(record, QboChangeOperation.Update);
        return record;
    }

    /// <summary>Void: amounts zeroed, payments that were applied become unapplied credit, "Voided" as the private note.</summary>
    public QboRecord VoidInvoice(JsonObject input)
    {
        var record = RequireCurrent(QboSchemas.Invoice, input);
        var now = Clock.NowStamp();
        DetachPayments(record, now);
        var doc = record.Doc;
        PostToLedger(QboSchemas.Invoice, doc, -1);
        if (doc["Line"] is JsonArray lines)
        {
            foreach (var line in lines.OfType<JsonObject>())
            {
                line["Amount"] = 0m;
                if (line["SalesItemLineDetail"] is JsonObject detail)
                {
                    detail["Qty"] = 0m;
                }
            }
        }

        doc["TotalAmt"] = 0m;
        doc["Balance"] = 0m;
        doc["PrivateNote"] = "Voided";
        Touch(record, now);
        record.Voided = true;
        RefreshCustomerBalances([QboJson.RefValue(doc, "CustomerRef")]);
        Notify(record, QboChangeOperation.Void);
        return record;
    }

    public QboRecord DeleteInvoice(JsonObject input)
    {
        var record = RequireCurrent(QboSchemas.Invoice, input);
        var now = Clock.NowStamp();
        DetachPayments(record, now);
        Touch(record, now);
        PostToLedger(QboSchemas.Invoice, record.Doc, -1);
        record.Deleted = true;
        RefreshCustomerBalances([QboJson.RefValue(record.Doc, "CustomerRef")]);
        Notify(record, QboChangeOperation.Delete);
        return record;
    }

    private JsonObject BuildInvoice(JsonObject input, QboRecord? existing, bool allowDuplicateDocNumber)
    {
        var customer = RequireCustomer(input);
        var previousCustomer = existing is null ? null : QboJson.RefValue(existing.Doc, "CustomerRef");
        var applied = existing is null ? 0m : (QboJson.GetDecimal(existing.Doc, "TotalAmt") ?? 0m) - (QboJson.GetDecimal(existing.Doc, "Balance") ?? 0m);
        if (previousCustomer is not null && previousCustomer != customer.Id && LinkedIds(existing!.Doc, QboSchemas.Payment).Any())
        {
            throw QboFaults.Business("The customer of an invoice with payments applied cannot be changed.", "CustomerRef");
        }

        var (lines, total) = BuildInvoiceLines(input);
        if (total < 0m)
        {
            throw QboFaults.Business("The transaction total cannot be negative.", "Line.Amount");
        }

        var balance = total - applied;
        if (balance < 0m)
        {
            throw QboFaults.Business(
                $"The invoice total ({total.ToString(CultureInfo.InvariantCulture)}) cannot be less than the payments applied to it ({applied.ToString(CultureInfo.InvariantCulture)}).",
                "Line.Amount");
        }

        var customerCurrency = CurrencyOf(customer.Doc);
        var currency = QboJson.RefValue(input, "CurrencyRef") ?? customerCurrency;
        if (!string.Equals(currency, customerCurrency, StringComparison.OrdinalIgnoreCase))
        {
            throw QboFaults.Business($"The currency of the transaction ({currency}) must match the customer's currency ({customerCurrency}).", "CurrencyRef");
        }

        var txnDate = QboJson.GetString(input, "TxnDate") ?? (existing is null ? null : QboJson.GetString(existing.Doc, "TxnDate")) ?? Clock.Today;
        var dueDate = QboJson.GetString(input, "DueDate")
            ?? (existing is null ? null : QboJson.GetString(existing.Doc, "DueDate"))
            ?? DateOnly.ParseExact(txnDate, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var docNumber = QboJson.GetString(input, "DocNumber")?.Trim();
        if (string.IsNullOrEmpty(docNumber))
        {
            docNumber = existing is null ? null : QboJson.GetString(existing.Doc, "DocNumber");
        }

        if (string.IsNullOrEmpty(docNumber))
        {
            docNumber = NextDocNumber();
        }
        else
        {
            if (!allowDuplicateDocNumber && _tables[QboSchemas.Invoice].WithDocNumber(docNumber).Any(i => i != existing && !i.Deleted))
            {
                throw QboFaults.DuplicateDocNumber();
            }

            if (long.TryParse(docNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) && numeric > _lastDocNumber)
            {
                _lastDocNumber = numeric;
            }
        }

        var doc = new JsonObject
        {
            ["TxnDate"] = txnDate,
            ["domain"] = "QBO",
            ["PrintStatus"] = "NotSet",
            ["TotalAmt"] = total,
            ["Line"] = lines,
            ["DueDate"] = dueDate,
            ["ApplyTaxAfterDiscount"] = false,
            ["DocNumber"] = docNumber,
            ["sparse"] = false,
            ["Deposit"] = 0m,
            ["Balance"] = balance,
            ["CustomerRef"] = QboJson.Ref(customer.Id, QboJson.GetString(customer.Doc, "DisplayName")),
            ["TxnTaxDetail"] = new JsonObject { ["TotalTax"] = 0m },
            ["LinkedTxn"] = existing?.Doc["LinkedTxn"]?.DeepClone() ?? new JsonArray(),
            ["EmailStatus"] = "NotSet",
            ["CurrencyRef"] = Currency(currency),
        };
        CopyWritable(input, doc, QboSchemas.InvoiceSchema, "TxnDate", "DueDate", "DocNumber", "CustomerRef", "Line", "CurrencyRef");
        if (doc["BillEmail"] is null && customer.Doc["PrimaryEmailAddr"] is JsonObject email && QboJson.GetString(email, "Address") is { } address)
        {
            doc["BillEmail"] = new JsonObject { ["Address"] = address };
        }

        if (doc["BillAddr"] is null && customer.Doc["BillAddr"] is JsonObject billAddr)
        {
            doc["BillAddr"] = billAddr.DeepClone();
        }

        if (doc["ShipAddr"] is null && customer.Doc["ShipAddr"] is JsonObject shipAddr)
        {
            doc["ShipAddr"] = shipAddr.DeepClone();
        }

        return doc;
    }

    private string NextDocNumber()
    {
        string candidate;
        do
        {
            candidate = (++_lastDocNumber).ToString(CultureInfo.InvariantCulture);
        }
        while (_tables[QboSchemas.Invoice].WithDocNumber(candidate).Any(i => !i.Deleted && QboJson.GetString(i.Doc, "DocNumber") == candidate));

        return candidate;
    }
}
