using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Invoices: create (API and admin), look up and delete.</summary>
internal sealed partial class CwSite
{
    public const int MaxInvoiceNumberLength = 15;

    private static readonly string[] InvoiceTypes = ["Agreement", "CreditMemo", "DownPayment", "Miscellaneous", "Progress", "Standard"];

    /// <summary>Invoice fields the simulator accepts and echoes without interpreting them.</summary>
    private static readonly string[] InvoiceExtraFields =
    [
        "accountNumber", "applyToId", "attention", "shipToAttention", "billingSite", "billingSiteAddressLine1", "billingSiteAddressLine2",
        "billingSiteCity", "billingSiteState", "billingSiteZip", "billingSiteCountry", "shippingSite", "shippingSiteAddressLine1",
        "shippingSiteAddressLine2", "shippingSiteCity", "shippingSiteState", "shippingSiteZip", "shippingSiteCountry", "billingTerms",
        "reference", "customerPO", "templateSetupId", "invoiceTemplate", "emailTemplateId", "addToBatchEmailList", "restrictDownpaymentFlag",
        "locationId", "departmentId", "territoryId", "topComment", "bottomComment", "taxableFlag", "taxCode", "internalNotes",
        "downpaymentPreviouslyTaxedFlag", "serviceTotal", "overrideDownPaymentAmountFlag", "expenseTotal", "productTotal",
        "previousProgressApplied", "serviceAdjustmentAmount", "agreementAmount", "downpaymentApplied", "remainingDownpayment",
        "adjustmentReason", "adjustedBy", "billingSetupReference", "ticket", "project", "phase", "salesOrder", "agreement", "customFields",
    ];

    /// <summary><c>POST /finance/invoices</c> (and the admin API's create): validates everything, then stores.</summary>
    public CwInvoice CreateInvoice(JsonElement body, CwActor actor)
    {
        var reader = new CwBodyReader(body, "invoice");
        reader.Ignore("id", "payments", "balance", "_info", "closedBy", "glBatch", "unbatchedBatch");
        var type = reader.String("type", required: true);
        if (type is not null)
        {
            type = InvoiceTypes.FirstOrDefault(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase));
            if (type is null)
            {
                reader.AddError("type", "InvalidField", $"The type field must be one of {string.Join(", ", InvoiceTypes)}.");
            }
        }

        var companyId = reader.ReferenceId("company", required: true);
        if (companyId is { } cid && !Companies.ContainsKey(cid))
        {
            reader.AddError("company", "InvalidField", $"Company {cid} does not exist.");
        }

        var billToId = reader.ReferenceId("billToCompany");
        if (billToId is { } bid && !Companies.ContainsKey(bid))
        {
            reader.AddError("billToCompany", "InvalidField", $"Company {bid} does not exist.");
        }

        reader.Ignore("shipToCompany");
        var statusId = reader.ReferenceId("status");
        if (statusId is { } sid)
        {
            CheckStatus(reader, sid);
        }

        var number = reader.String("invoiceNumber", maxLength: MaxInvoiceNumberLength);
        if (number is not null && Invoices.Values.Any(i => string.Equals(i.InvoiceNumber, number, StringComparison.OrdinalIgnoreCase)))
        {
            reader.AddError("invoiceNumber", "InvalidField", $"Invoice number {number} is already in use.");
        }

        var date = reader.Date("date");
        var dueDate = reader.Date("dueDate");
        var currency = ReadCurrency(reader, companyId is { } c2 && Companies.TryGetValue(c2, out var owner) ? owner.Currency : DefaultCurrency);
        var subtotal = reader.Money("subtotal");
        var salesTax = reader.Money("salesTax");
        var total = reader.Money("total");
        var credits = reader.Money("credits") ?? 0m;
        var extra = new JsonObject();
        foreach (var field in InvoiceExtraFields)
        {
            if (reader.Raw(field) is { } value)
            {
                extra[field] = JsonNode.Parse(value.GetRawText());
            }
        }

        var tax = salesTax ?? 0m;
        var sum = total ?? (subtotal ?? 0m) + tax;
        var sub = subtotal ?? sum - tax;
        if (sub < 0m)
        {
            reader.AddError("salesTax", "InvalidField", "The salesTax cannot exceed the total.");
        }
        else if (sub + tax != sum)
        {
            reader.AddError("total", "InvalidField", $"The total ({sum}) must equal subtotal ({sub}) plus salesTax ({tax}).");
        }

        if (credits > sum)
        {
            reader.AddError("credits", "InvalidField", "The credits cannot exceed the total.");
        }

        reader.Finish();
        var now = Now;
        var invoiceDate = date ?? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var invoice = new CwInvoice
        {
            Id = _nextInvoiceId++,
            InvoiceNumber = number ?? NextInvoiceNumber(),
            Type = type!,
            StatusId = statusId ?? Statuses.Values.First(s => s.DefaultFlag).Id,
            CompanyId = companyId!.Value,
            BillToCompanyId = billToId ?? companyId.Value,
            Date = invoiceDate,
            DueDate = dueDate ?? invoiceDate.AddDays(30),
            Currency = currency,
            Subtotal = sub,
            SalesTax = tax,
            Total = sum,
            Credits = credits,
            Audit = new CwAudit(now, actor.Member),
        };
        foreach (var (key, value) in extra)
        {
            invoice.Extra[key] = value?.DeepClone();
        }

        Invoices.Add(invoice.Id, invoice);
        Notify(invoice, "added", actor);
        return invoice;
    }

    public CwInvoice RequireInvoice(int id) =>
        Invoices.TryGetValue(id, out var invoice) ? invoice : throw CwErrors.NotFound($"Invoice ID {id} not found");

    private void CheckStatus(CwBodyReader reader, int statusId)
    {
        if (!Statuses.TryGetValue(statusId, out var status))
        {
            reader.AddError("status", "InvalidField", $"Billing status {statusId} does not exist.");
        }
        else if (status.InactiveFlag)
        {
            reader.AddError("status", "InvalidField", $"Billing status {statusId} ({status.Name}) is inactive.");
        }
    }

    private static CwCurrency ReadCurrency(CwBodyReader reader, CwCurrency fallback)
    {
        if (reader.Raw("currency") is not { } value)
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                if (property.NameEquals("id") && property.Value.TryGetInt32(out var id) && Currencies.FirstOrDefault(c => c.Id == id) is { } byId)
                {
                    return byId;
                }

                if (property.NameEquals("currencyCode") && property.Value.ValueKind == JsonValueKind.String && FindCurrency(property.Value.GetString()!) is { } byCode)
                {
                    return byCode;
                }
            }
        }

        reader.AddError("currency", "InvalidField", $"The currency must reference one of {string.Join(", ", Currencies.Select(c => $"{c.Id} ({c.Code})"))}.");
        return fallback;
    }

    public void DeleteInvoice(int id, CwActor actor)
    {
        var invoice = RequireInvoice(id);
        if (invoice.PaymentIds.Count > 0)
        {
            throw CwErrors.Field("invoice", "payments", "InvalidField", $"Invoice ID {id} has payments applied; delete them first.");
        }

        Invoices.Remove(id);
        Notify(invoice, "deleted", actor);
    }
}
