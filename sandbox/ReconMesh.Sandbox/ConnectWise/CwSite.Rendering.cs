using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>The site's records in ConnectWise's JSON shapes; the large ones cached per record (see <see cref="CwRendering"/>).</summary>
internal sealed partial class CwSite
{
    public JsonObject StatusRef(int statusId, string baseUrl) =>
        CwJson.Reference(statusId, null, Statuses[statusId].Name, "status_href", $"{baseUrl}/finance/billingStatuses/{CwJson.Id(statusId)}");

    public JsonObject CompanyRef(int companyId, string baseUrl)
    {
        var company = Companies[companyId];
        return CwJson.Reference(company.Id, company.Identifier, company.Name, "company_href", $"{baseUrl}/company/companies/{CwJson.Id(company.Id)}");
    }

    public JsonObject ContactRef(int contactId, string baseUrl) =>
        CwJson.Reference(contactId, null, Contacts.TryGetValue(contactId, out var contact) ? contact.FullName : null,
            "contact_href", $"{baseUrl}/company/contacts/{CwJson.Id(contactId)}");

    public static JsonObject CurrencyJson(CwCurrency currency, string baseUrl) => new()
    {
        ["id"] = currency.Id,
        ["symbol"] = currency.Symbol,
        ["currencyCode"] = currency.Code,
        ["decimalSeparator"] = ".",
        ["numberOfDecimals"] = 2,
        ["thousandsSeparator"] = ",",
        ["negativeParenthesesFlag"] = false,
        ["displaySymbolFlag"] = true,
        ["currencyIdentifier"] = currency.Id == 7 ? "Default Currency" : currency.Code,
        ["displayIdFlag"] = false,
        ["rightAlign"] = false,
        ["name"] = currency.Name,
        ["_info"] = CwJson.Info(("currency_href", $"{baseUrl}/finance/currencies/{CwJson.Id(currency.Id)}")),
    };

    /// <summary>An invoice as ConnectWise shows it; cached until it, or a company it names, changes. Do not modify it.</summary>
    public JsonObject InvoiceJson(CwInvoice invoice, string baseUrl) => invoice.Rendering.Get(
        baseUrl, invoice.Audit.Revision, Revision(invoice.CompanyId), Revision(invoice.BillToCompanyId), () => RenderInvoice(invoice, baseUrl));

    /// <summary>A contact as ConnectWise shows it; cached until it, or its company, changes. Do not modify it.</summary>
    public JsonObject ContactJson(CwContact contact, string baseUrl) => contact.Rendering.Get(
        baseUrl, contact.Audit.Revision, Revision(contact.CompanyId), 0, () => RenderContact(contact, baseUrl));

    /// <summary>A company as ConnectWise shows it; cached until it changes (a contact added to it touches it). Do not modify it.</summary>
    public JsonObject CompanyJson(CwCompany company, string baseUrl) => company.Rendering.Get(
        baseUrl, company.Audit.Revision, 0, 0, () => RenderCompany(company, baseUrl));

    private long Revision(int companyId) => Companies.TryGetValue(companyId, out var company) ? company.Audit.Revision : -1;

    private JsonObject RenderInvoice(CwInvoice invoice, string baseUrl)
    {
        var json = new JsonObject
        {
            ["id"] = invoice.Id,
            ["invoiceNumber"] = invoice.InvoiceNumber,
            ["type"] = invoice.Type,
            ["status"] = StatusRef(invoice.StatusId, baseUrl),
            ["company"] = CompanyRef(invoice.CompanyId, baseUrl),
            ["billToCompany"] = CompanyRef(invoice.BillToCompanyId, baseUrl),
            ["shipToCompany"] = CompanyRef(invoice.CompanyId, baseUrl),
            ["applyToType"] = "All",
            ["date"] = CwJson.Stamp(invoice.Date),
            ["dueDate"] = invoice.DueDate is { } due ? CwJson.Stamp(due) : null,
            ["currency"] = CurrencyJson(invoice.Currency, baseUrl),
            ["subtotal"] = invoice.Subtotal,
            ["salesTax"] = invoice.SalesTax,
            ["total"] = invoice.Total,
            ["payments"] = invoice.Payments,
            ["credits"] = invoice.Credits,
            ["balance"] = invoice.Balance,
            ["specialInvoiceFlag"] = false,
        };
        foreach (var (key, value) in invoice.Extra)
        {
            json[key] = value?.DeepClone();
        }

        var info = invoice.Audit.Info();
        info["payments_href"] = $"{baseUrl}/finance/invoices/{CwJson.Id(invoice.Id)}/payments";
        json["_info"] = info;
        json["customFields"] ??= new JsonArray();
        return json;
    }

    public JsonObject PaymentJson(CwPayment payment, string baseUrl)
    {
        var invoice = Invoices.GetValueOrDefault(payment.InvoiceId);
        return new JsonObject
        {
            ["id"] = payment.Id,
            ["type"] = payment.Type,
            ["invoice"] = new JsonObject
            {
                ["id"] = payment.InvoiceId,
                ["identifier"] = invoice?.InvoiceNumber,
                ["billingType"] = invoice?.Type,
                ["applyToType"] = "All",
                ["_info"] = CwJson.Info(("invoice_href", $"{baseUrl}/finance/invoices/{CwJson.Id(payment.InvoiceId)}")),
            },
            ["amount"] = payment.Amount,
            ["paymentDate"] = CwJson.Stamp(payment.PaymentDate),
            ["appliedBy"] = payment.AppliedBy,
            ["_info"] = payment.Audit.Info(),
        };
    }

    public static JsonObject StatusJson(CwBillingStatus status) => new()
    {
        ["id"] = status.Id,
        ["name"] = status.Name,
        ["sortOrder"] = status.SortOrder,
        ["defaultFlag"] = status.DefaultFlag,
        ["closedFlag"] = status.ClosedFlag,
        ["inactiveFlag"] = status.InactiveFlag,
        ["sentFlag"] = status.SentFlag,
        ["_info"] = status.Audit.Info(),
    };

    private JsonObject RenderCompany(CwCompany company, string baseUrl) => new()
    {
        ["id"] = company.Id,
        ["identifier"] = company.Identifier,
        ["name"] = company.Name,
        ["status"] = CwJson.Reference(1, null, "Active", "status_href", $"{baseUrl}/company/companies/statuses/1"),
        ["addressLine1"] = company.AddressLine1,
        ["city"] = company.City,
        ["state"] = company.State,
        ["zip"] = company.Zip,
        ["country"] = CwJson.Reference(1, "US", "United States", "country_href", $"{baseUrl}/company/countries/1"),
        ["phoneNumber"] = company.PhoneNumber,
        ["website"] = company.Website,
        ["defaultContact"] = company.DefaultContactId is { } contactId ? ContactRef(contactId, baseUrl) : null,
        ["billingContact"] = company.BillingContactId is { } billingId ? ContactRef(billingId, baseUrl) : null,
        ["invoiceToEmailAddress"] = company.InvoiceToEmailAddress,
        ["deletedFlag"] = false,
        ["currency"] = CurrencyJson(company.Currency, baseUrl),
        ["site"] = CwJson.Reference(company.Id * 10 + 1, null, "Main", "site_href", $"{baseUrl}/company/companies/{CwJson.Id(company.Id)}/sites/{CwJson.Id(company.Id * 10 + 1)}"),
        ["types"] = new JsonArray(CwJson.Reference(1, null, "Client", "type_href", $"{baseUrl}/company/companies/types/1")),
        ["_info"] = company.Audit.Info(),
        ["customFields"] = new JsonArray(),
    };

    private JsonObject RenderContact(CwContact contact, string baseUrl)
    {
        var phone = contact.CommunicationItems.FirstOrDefault(i => i.CommunicationType == "Phone");
        var items = new JsonArray();
        foreach (var item in contact.CommunicationItems)
        {
            var json = new JsonObject
            {
                ["id"] = item.Id,
                ["type"] = CwJson.Reference(item.TypeId, null, item.TypeName, "type_href", $"{baseUrl}/company/communicationTypes/{CwJson.Id(item.TypeId)}"),
                ["value"] = item.Value,
                ["defaultFlag"] = item.DefaultFlag,
                ["communicationType"] = item.CommunicationType,
            };
            if (item.CommunicationType == "Email" && item.Value.IndexOf('@', StringComparison.Ordinal) is >= 0 and var at)
            {
                json["domain"] = item.Value[at..];
            }

            items.Add(json);
        }

        return new JsonObject
        {
            ["id"] = contact.Id,
            ["firstName"] = contact.FirstName,
            ["lastName"] = contact.LastName,
            ["company"] = CompanyRef(contact.CompanyId, baseUrl),
            ["site"] = CwJson.Reference(contact.CompanyId * 10 + 1, null, "Main", "site_href",
                $"{baseUrl}/company/companies/{CwJson.Id(contact.CompanyId)}/sites/{CwJson.Id(contact.CompanyId * 10 + 1)}"),
            ["inactiveFlag"] = contact.InactiveFlag,
            ["title"] = contact.Title,
            ["disablePortalLoginFlag"] = true,
            ["unsubscribeFlag"] = false,
            ["defaultPhoneType"] = phone?.TypeName,
            ["defaultPhoneNbr"] = phone?.Value,
            ["defaultBillingFlag"] = contact.DefaultBillingFlag,
            ["defaultFlag"] = contact.DefaultFlag,
            ["communicationItems"] = items,
            ["types"] = new JsonArray(),
            ["_info"] = contact.Audit.Info(),
        };
    }

    public static JsonObject CallbackJson(CwCallbackEntry entry) => new()
    {
        ["id"] = entry.Id,
        ["description"] = entry.Description,
        ["url"] = entry.Url,
        ["objectId"] = entry.ObjectId,
        ["type"] = entry.Type,
        ["level"] = entry.Level,
        ["memberId"] = entry.MemberId,
        ["payloadVersion"] = entry.PayloadVersion,
        ["inactiveFlag"] = entry.InactiveFlag,
        ["isSoapCallbackFlag"] = entry.IsSoapCallbackFlag,
        ["isSelfSuppressedFlag"] = entry.IsSelfSuppressedFlag,
        ["_info"] = entry.Audit.Info(),
    };
}
