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
