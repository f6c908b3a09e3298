using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

internal sealed partial class QboCompany
{
    private const string DeletedSuffix = " (deleted)";

    private static readonly string[] NameParts = ["Title", "GivenName", "MiddleName", "FamilyName", "Suffix"];
    private static readonly string[] Addresses = ["BillAddr", "ShipAddr"];

    public QboRecord CreateCustomer(JsonObject input)
    {
        var id = _nextCustomerId.ToString(CultureInfo.InvariantCulture);
        var doc = BuildCustomer(input, existing: null, id);
        _nextCustomerId++;
        var now = Clock.NowStamp();
        doc["Id"] = id;
        doc["SyncToken"] = "0";
        doc["MetaData"] = QboJson.MetaData(now, now);
        var record = new QboRecord(QboSchemas.Customer, id, doc);
        Add(record);
        Notify(record, QboChangeOperation.Create);
        return record;
    }

    public QboRecord UpdateCustomer(JsonObject input, bool sparse)
    {
        var record = RequireCurrent(QboSchemas.Customer, input);
        var source = sparse ? Overlay(record.Doc, input) : input;
        var doc = BuildCustomer(source, record, record.Id);
        doc["Id"] = record.Id;
        doc["SyncToken"] = record.Doc["SyncToken"]!.DeepClone();
        doc["MetaData"] = record.Doc["MetaData"]!.DeepClone();
        Touch(doc, Clock.NowStamp());
        record.Doc = doc;
        Notify(record, QboChangeOperation.Update);
        return record;
    }

    private JsonObject BuildCustomer(JsonObject input, QboRecord? existing, string id)
    {
        var display = QboJson.GetString(input, "DisplayName")?.Trim();
        if (string.IsNullOrEmpty(display))
        {
            display = string.Join(' ', NameParts.Select(k => QboJson.GetString(input, k)?.Trim())
                .Where(s => !string.IsNullOrEmpty(s)));
        }

        if (string.IsNullOrEmpty(display))
        {
            throw QboFaults.Required("DisplayName");
        }

        // QuickBooks renames a customer made inactive to "<name> (deleted)", freeing the name, and renames it back on reactivation.
        var active = QboJson.GetBool(input, "Active") ?? true;
        var wasActive = existing is null || QboJson.GetBool(existing.Doc, "Active") != false;
        var balance = existing is null ? 0m : CustomerBalance(existing.Id);
        if (!active && wasActive)
        {
            if (balance != 0m)
            {
                throw new QboFaultException(400, "6000", "Delete List Has Balance Error",
                    "The entity you are trying to delete has an open balance. : This customer cannot be made inactive because it has a non-zero balance",
                    "Active");
            }

            if (!display.EndsWith(DeletedSuffix, StringComparison.Ordinal))
            {
                display += DeletedSuffix;
            }
        }
        else if (active && display.EndsWith(DeletedSuffix, StringComparison.Ordinal))
        {
            display = display[..^DeletedSuffix.Length];
        }

        var duplicate = All(QboSchemas.Customer).FirstOrDefault(c => c.Id != id
            && string.Equals(QboJson.GetString(c.Doc, "DisplayName")?.Trim(), display, StringComparison.OrdinalIgnoreCase));
        if (duplicate is not null)
        {
            throw QboFaults.DuplicateName(duplicate.Id);
        }

        var currency = QboJson.RefValue(input, "CurrencyRef") ?? (existing is null ? "USD" : CurrencyOf(existing.Doc));
        if (existing is not null && !string.Equals(currency, CurrencyOf(existing.Doc), StringComparison.OrdinalIgnoreCase)
            && _tables[QboSchemas.Invoice].OfCustomer(id).Concat(_tables[QboSchemas.Payment].OfCustomer(id)).Any(t => !t.Deleted))
        {
            throw QboFaults.Business("The currency of a customer with transactions cannot be changed.", "CurrencyRef");
        }

        var doc = new JsonObject
        {
            ["DisplayName"] = display,
            ["FullyQualifiedName"] = display,
        };
        CopyWritable(input, doc, QboSchemas.CustomerSchema, "DisplayName", "Active", "CurrencyRef", "BillAddr", "ShipAddr");
        foreach (var key in Addresses)
        {
            if (input[key] is JsonObject address)
            {
                var copy = (JsonObject)address.DeepClone();
                if (copy["Id"] is null)
                {
                    copy["Id"] = NextId(ref _nextAddressId);
                }

                doc[key] = copy;
            }
        }

        doc["PrintOnCheckName"] ??= QboJson.GetString(input, "CompanyName") ?? display;
        doc["Job"] ??= false;
        doc["BillWithParent"] ??= false;
        doc["Taxable"] ??= false;
        doc["PreferredDeliveryMethod"] ??= "Print";
        doc["CurrencyRef"] = Currency(currency);
        doc["Active"] = active;
        doc["Balance"] = balance;
        doc["BalanceWithJobs"] = balance;
        doc["domain"] = "QBO";
        doc["sparse"] = false;
        return doc;
    }

    /// <summary>The customer that a transaction names: required, existing and active.</summary>
    private QboRecord RequireCustomer(JsonObject input)
    {
        var customerId = QboJson.RefValue(input, "CustomerRef");
        if (string.IsNullOrEmpty(customerId))
        {
            throw QboFaults.Required("CustomerRef");
        }

        var customer = Find(QboSchemas.Customer, customerId);
        if (customer is null || customer.Deleted || QboJson.GetBool(customer.Doc, "Active") == false)
        {
            throw QboFaults.InvalidReference("CustomerRef", $"CustomerRef={customerId}");
        }

        return customer;
    }

    /// <summary>The sum of the customer's open invoice balances, from its own invoices only (the by-customer index).</summary>
    private decimal CustomerBalance(string customerId) => _tables[QboSchemas.Invoice].OfCustomer(customerId)
        .Where(i => !i.Deleted)
        .Sum(i => QboJson.GetDecimal(i.Doc, "Balance") ?? 0m);

    /// <summary>A customer's Balance is the sum of its open invoice balances; it changes without a new SyncToken.</summary>
    private void RefreshCustomerBalances(IEnumerable<string?> customerIds)
    {
        foreach (var customerId in customerIds.Where(c => c is not null).Distinct(StringComparer.Ordinal))
        {
            if (Find(QboSchemas.Customer, customerId) is { } customer)
            {
                var balance = CustomerBalance(customer.Id);
                customer.Doc["Balance"] = balance;
                customer.Doc["BalanceWithJobs"] = balance;
                customer.Changed();
            }
        }
    }
}
