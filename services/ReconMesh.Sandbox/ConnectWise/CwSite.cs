using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// One simulated ConnectWise PSA site (a login company): its API member keys, clientId, billing statuses,
/// companies, contacts, invoices, payments and callbacks. Everything that reads or writes them runs under
/// <see cref="Gate"/>, so each request sees and leaves a consistent ledger and no write is lost.
/// </summary>
internal sealed partial class CwSite
{
    public const string ApiPath = "/v4_6_release/apis/3.0";

    public static readonly CwCurrency[] Currencies =
    [
        new(7, "USD", "$", "US Dollars"),
        new(8, "CAD", "$", "Canadian Dollars"),
        new(9, "EUR", "€", "Euro"),
        new(10, "GBP", "£", "British Pounds"),
        new(11, "AUD", "$", "Australian Dollars"),
        new(12, "NZD", "$", "New Zealand Dollars"),
    ];

    private readonly TimeProvider _time;
    private readonly CwCallbackDispatcher _dispatcher;
    private long _requestCount;
    private long _throttledCount;
    private long _rejectedCount;
    private int _nextCompanyId = 250;
    private int _nextContactId = 100;
    private int _nextCommunicationItemId = 1;
    private int _nextInvoiceId = 1001;
    private int _nextInvoiceNumber = 10001;
    private int _nextPaymentId = 5001;
    private int _nextCallbackId = 1;

    public CwSite(string companyId, string publicKey, string privateKey, string clientId, CwThrottle throttle, TimeProvider time, CwCallbackDispatcher dispatcher)
    {
        CompanyId = companyId;
        PublicKey = publicKey;
        PrivateKey = privateKey;
        ClientId = clientId;
        Throttle = throttle;
        _time = time;
        _dispatcher = dispatcher;
        SigningKeyId = Guid.NewGuid().ToString("D");
        SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var created = Now;
        (int Id, string Name, bool Default, bool Closed, bool Inactive, bool Sent)[] statuses =
        [
            (1, "New", true, false, false, false),
            (2, "Sent", false, false, false, true),
            (3, "Closed", false, true, false, false),
            (4, "Inactive", false, false, true, false),
        ];
        foreach (var (id, name, isDefault, closed, inactive, sent) in statuses)
        {
            Statuses[id] = new CwBillingStatus
            {
                Id = id,
                Name = name,
                SortOrder = id,
                DefaultFlag = isDefault,
                ClosedFlag = closed,
                InactiveFlag = inactive,
                SentFlag = sent,
                Audit = new CwAudit(created, CwActor.AdminMember),
            };
        }
    }

    public string CompanyId { get; }

    public string PublicKey { get; }

    public string PrivateKey { get; }

    public string ClientId { get; }

    public CwThrottle Throttle { get; }

    /// <summary>Id of the key callbacks are signed with, served at <c>/system/callbackKeys/{id}</c>.</summary>
    public string SigningKeyId { get; }

    public string SigningKey { get; }

    /// <summary>Held around every read and write of this site's data.</summary>
    public Lock Gate { get; } = new();

    public Dictionary<int, CwBillingStatus> Statuses { get; } = [];

    public Dictionary<int, CwCompany> Companies { get; } = [];

    public Dictionary<int, CwContact> Contacts { get; } = [];

    public Dictionary<int, CwInvoice> Invoices { get; } = [];

    public Dictionary<int, CwPayment> Payments { get; } = [];

    public Dictionary<int, CwCallbackEntry> Callbacks { get; } = [];

    public long RequestCount => Interlocked.Read(ref _requestCount);

    public long ThrottledCount => Interlocked.Read(ref _throttledCount);

    public DateTimeOffset Now => CwJson.Truncate(_time.GetUtcNow());

    /// <summary>The member id API-made callbacks carry (the API member of the keys).</summary>
    public static int ApiMemberId => 176;

    public void CountRequest() => Interlocked.Increment(ref _requestCount);

    public void CountThrottled() => Interlocked.Increment(ref _throttledCount);

    /// <summary>A request of this site's company whose API keys were wrong (answered 401, not counted as a request).</summary>
    public void CountRejected() => Interlocked.Increment(ref _rejectedCount);

    public static CwCurrency DefaultCurrency => Currencies[0];

    public static CwCurrency? FindCurrency(string code) =>
        Currencies.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.OrdinalIgnoreCase));

    public CwBooks Books()
    {
        var invoices = Invoices.Values.OrderBy(i => i.Id).Select(i => new CwBookInvoice(
            i.Id, i.InvoiceNumber, i.CompanyId, i.Total, i.Payments, i.Credits, i.Balance, i.StatusId,
            Statuses[i.StatusId].Name, Statuses[i.StatusId].ClosedFlag, [.. i.PaymentIds])).ToList();
        var payments = Payments.Values.OrderBy(p => p.Id)
            .Select(p => new CwBookPayment(p.Id, p.InvoiceId, p.Amount, CwJson.Stamp(p.PaymentDate), p.Type, p.AppliedBy)).ToList();
        return new CwBooks(invoices, payments, RequestCount, ThrottledCount, Interlocked.Read(ref _rejectedCount));
    }

    // ------------------------------------------------------------------ rendering (ConnectWise's JSON shapes)

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

    // ------------------------------------------------------------------ companies and contacts (created by the seeder)

    public CwCompany AddCompany(string identifier, string name, string? address, string? city, string? state, string? zip,
        string? phone, string? website, CwCurrency currency, string by)
    {
        var company = new CwCompany
        {
            Id = _nextCompanyId++,
            Identifier = identifier,
            Name = name,
            AddressLine1 = address,
            City = city,
            State = state,
            Zip = zip,
            PhoneNumber = phone,
            Website = website,
            Currency = currency,
            Audit = new CwAudit(Now, by),
        };
        Companies.Add(company.Id, company);
        return company;
    }

    public CwContact AddContact(CwCompany company, string firstName, string lastName, string? title, bool isDefault, bool isBilling,
        string? email, string? phone, string by)
    {
        var contact = new CwContact
        {
            Id = _nextContactId++,
            FirstName = firstName,
            LastName = lastName,
            CompanyId = company.Id,
            Title = title,
            DefaultFlag = isDefault,
            DefaultBillingFlag = isBilling,
            Audit = new CwAudit(Now, by),
        };
        if (phone is not null)
        {
            contact.CommunicationItems.Add(new CwCommunicationItem(_nextCommunicationItemId++, 2, "Direct", phone, true, "Phone"));
        }

        if (email is not null)
        {
            contact.CommunicationItems.Add(new CwCommunicationItem(_nextCommunicationItemId++, 1, "Email", email, true, "Email"));
        }

        Contacts.Add(contact.Id, contact);
        if (isDefault)
        {
            company.DefaultContactId = contact.Id;
        }

        if (isBilling)
        {
            company.BillingContactId = contact.Id;
            company.InvoiceToEmailAddress = email;
        }

        company.Audit.Touch(Now, by);
        return contact;
    }

    private string NextInvoiceNumber()
    {
        string number;
        do
        {
            number = "INV-" + (_nextInvoiceNumber++).ToString(CultureInfo.InvariantCulture);
        }
        while (Invoices.Values.Any(i => string.Equals(i.InvoiceNumber, number, StringComparison.OrdinalIgnoreCase)));

        return number;
    }
}
