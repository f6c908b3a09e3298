using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Xero's JSON shapes (PascalCase, <c>/Date(…)/</c> dates, amounts with two decimals) for the answer envelope,
/// invoices, contacts, accounts and payments.
/// </summary>
internal static class XeroWire
{
    public const string ProviderName = "ReconMesh Sandbox";

    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);

    /// <summary><c>{Id, Status, ProviderName, DateTimeUTC[, pagination], &lt;Collection&gt;: […]}</c>.</summary>
    public static JsonObject Envelope(DateTimeOffset now, string collection, JsonArray items, XeroPage? page = null)
    {
        var envelope = new JsonObject
        {
            ["Id"] = Guid.NewGuid().ToString("D"),
            ["Status"] = "OK",
            ["ProviderName"] = ProviderName,
            ["DateTimeUTC"] = XeroDates.Json(now),
        };
        if (page is not null)
        {
            envelope["pagination"] = new JsonObject
            {
                ["page"] = page.Page, ["pageSize"] = page.PageSize, ["pageCount"] = page.PageCount, ["itemCount"] = page.ItemCount,
            };
        }

        envelope[collection] = items;
        return envelope;
    }

    public static decimal Money(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero) + 0.00m;

    /// <summary>An invoice; a multi-invoice GET without <c>page</c> leaves the line items out, as Xero does.</summary>
    public static JsonObject Invoice(XeroInvoice invoice, bool withLines)
    {
        var json = new JsonObject
        {
            ["Type"] = invoice.Type,
            ["InvoiceID"] = invoice.InvoiceId.ToString("D"),
            ["InvoiceNumber"] = invoice.InvoiceNumber,
            ["Reference"] = invoice.Reference ?? "",
            ["Payments"] = new JsonArray([.. invoice.Payments.Select(p => (JsonNode)PaymentSummary(p))]),
            ["CreditNotes"] = new JsonArray(),
            ["Prepayments"] = new JsonArray(),
            ["Overpayments"] = new JsonArray(),
            ["AmountDue"] = Money(invoice.AmountDue),
            ["AmountPaid"] = Money(invoice.AmountPaid),
            ["AmountCredited"] = 0.00m,
            ["CurrencyRate"] = 1.0m,
            ["IsDiscounted"] = false,
            ["HasAttachments"] = false,
            ["HasErrors"] = false,
            ["Contact"] = ContactSummary(invoice.Contact),
            ["DateString"] = XeroDates.DateString(invoice.Date),
            ["Date"] = XeroDates.Json(invoice.Date),
        };
        if (invoice.DueDate is { } due)
        {
            json["DueDateString"] = XeroDates.DateString(due);
            json["DueDate"] = XeroDates.Json(due);
        }

        json["Status"] = invoice.Status;
        json["LineAmountTypes"] = "NoTax";
        if (withLines)
        {
            json["LineItems"] = new JsonArray([.. invoice.LineItems.Select(l => (JsonNode)LineItem(l))]);
        }

        json["SubTotal"] = Money(invoice.Total);
        json["TotalTax"] = 0.00m;
        json["Total"] = Money(invoice.Total);
        json["UpdatedDateUTC"] = XeroDates.Json(invoice.UpdatedUtc);
        json["CurrencyCode"] = invoice.CurrencyCode;
        if (invoice.FullyPaidOnDate is { } paidOn)
        {
            json["FullyPaidOnDate"] = XeroDates.Json(paidOn);
        }

        return json;
    }

    public static JsonObject Contact(XeroContact contact, bool isCustomer)
    {
        var json = new JsonObject { ["ContactID"] = contact.ContactId.ToString("D") };
        AddIfSet(json, "ContactNumber", contact.ContactNumber);
        json["ContactStatus"] = contact.ContactStatus;
        json["Name"] = contact.Name;
        AddIfSet(json, "FirstName", contact.FirstName);
        AddIfSet(json, "LastName", contact.LastName);
        json["EmailAddress"] = contact.EmailAddress ?? "";
        json["ContactPersons"] = new JsonArray([.. contact.ContactPersons.Select(p => (JsonNode)new JsonObject
        {
            ["FirstName"] = p.FirstName ?? "",
            ["LastName"] = p.LastName ?? "",
            ["EmailAddress"] = p.EmailAddress ?? "",
            ["IncludeInEmails"] = p.IncludeInEmails,
        })]);
        json["Addresses"] = new JsonArray();
        json["Phones"] = new JsonArray();
        json["UpdatedDateUTC"] = XeroDates.Json(contact.UpdatedUtc);
        json["ContactGroups"] = new JsonArray();
        json["IsSupplier"] = false;
        json["IsCustomer"] = isCustomer;
        json["HasAttachments"] = false;
        json["HasValidationErrors"] = false;
        return json;
    }

    public static JsonObject Account(XeroAccount account)
    {
        var json = new JsonObject
        {
            ["AccountID"] = account.AccountId.ToString("D"),
            ["Code"] = account.Code,
            ["Name"] = account.Name,
            ["Status"] = account.Status,
            ["Type"] = account.Type,
            ["TaxType"] = "NONE",
            ["Class"] = account.Class,
            ["EnablePaymentsToAccount"] = account.EnablePaymentsToAccount,
            ["ShowInExpenseClaims"] = false,
        };
        if (account.Type == "BANK")
        {
            json["BankAccountNumber"] = account.BankAccountNumber ?? "";
            json["BankAccountType"] = "BANK";
        }

        json["CurrencyCode"] = account.CurrencyCode;
        json["HasAttachments"] = false;
        json["UpdatedDateUTC"] = XeroDates.Json(account.UpdatedUtc);
        return json;
    }

    public static JsonObject Payment(XeroPayment payment)
    {
        var invoice = payment.Invoice;
        return new JsonObject
        {
            ["PaymentID"] = payment.PaymentId.ToString("D"),
            ["Date"] = XeroDates.Json(payment.Date),
            ["BankAmount"] = Money(payment.Amount),
            ["Amount"] = Money(payment.Amount),
            ["Reference"] = payment.Reference ?? "",
            ["CurrencyRate"] = payment.CurrencyRate,
            ["PaymentType"] = payment.PaymentType,
            ["Status"] = payment.Status,
            ["UpdatedDateUTC"] = XeroDates.Json(payment.UpdatedUtc),
            ["HasAccount"] = true,
            ["IsReconciled"] = payment.IsReconciled,
            ["Account"] = new JsonObject { ["AccountID"] = payment.Account.AccountId.ToString("D"), ["Code"] = payment.Account.Code },
            ["Invoice"] = new JsonObject
            {
                ["Type"] = invoice.Type,
                ["InvoiceID"] = invoice.InvoiceId.ToString("D"),
                ["InvoiceNumber"] = invoice.InvoiceNumber,
                ["Contact"] = ContactSummary(invoice.Contact),
                ["CurrencyCode"] = invoice.CurrencyCode,
            },
            ["HasValidationErrors"] = false,
        };
    }

    private static JsonObject PaymentSummary(XeroPayment payment) => new()
    {
        ["PaymentID"] = payment.PaymentId.ToString("D"),
        ["Date"] = XeroDates.Json(payment.Date),
        ["Amount"] = Money(payment.Amount),
        ["Reference"] = payment.Reference ?? "",
        ["CurrencyRate"] = payment.CurrencyRate,
        ["HasAccount"] = false,
        ["HasValidationErrors"] = false,
    };

    public static JsonObject LineItem(XeroLineItem line) => new()
    {
        ["LineItemID"] = line.LineItemId.ToString("D"),
        ["Description"] = line.Description,
        ["Quantity"] = line.Quantity,
        ["UnitAmount"] = line.UnitAmount,
        ["AccountCode"] = line.AccountCode,
        ["TaxType"] = "NONE",
        ["TaxAmount"] = 0.00m,
        ["LineAmount"] = Money(line.LineAmount),
        ["Tracking"] = new JsonArray(),
    };

    public static JsonObject ContactSummary(XeroContact contact)
    {
        var json = new JsonObject { ["ContactID"] = contact.ContactId.ToString("D") };
        AddIfSet(json, "ContactNumber", contact.ContactNumber);
        json["Name"] = contact.Name;
        return json;
    }

    private static void AddIfSet(JsonObject json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json[name] = value;
        }
    }
}
