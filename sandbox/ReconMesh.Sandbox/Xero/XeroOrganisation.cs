namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// One Xero organisation (tenant): its contacts, chart of accounts, invoices and payments, its limits and its
/// idempotency answers. Every read and write holds <see cref="Gate"/>. Starts with a bank account (090), a
/// payments-enabled clearing account (092), sales (200) and bank fees (404).
/// </summary>
internal sealed partial class XeroOrganisation
{
    public const int MaxTextLength = 255;

    private readonly Dictionary<string, XeroAccount> _accountsByCode = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, XeroInvoice> _invoicesByNumber = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<Guid> _customers = [];
    private int _lastInvoiceNumber;

    public XeroOrganisation(string tenantId, string name, string baseCurrency, XeroThrottle throttle, XeroIdempotencyCache idempotency, TimeProvider time)
    {
        TenantId = tenantId;
        Name = name;
        BaseCurrency = baseCurrency;
        Throttle = throttle;
        Idempotency = idempotency;
        Time = time;
        AddAccount("090", "Business Bank Account", "BANK", false, "090-0001");
        AddAccount("092", "Payments Clearing", "CURRENT", true, null);
        AddAccount("200", "Sales", "REVENUE", false, null);
        AddAccount("404", "Bank Fees", "EXPENSE", false, null);
    }

    public Lock Gate { get; } = new();

    public string TenantId { get; }

    public string Name { get; }

    public string BaseCurrency { get; }

    public XeroThrottle Throttle { get; }

    public XeroIdempotencyCache Idempotency { get; }

    public TimeProvider Time { get; }

    public Dictionary<Guid, XeroContact> Contacts { get; } = [];

    public Dictionary<Guid, XeroAccount> Accounts { get; } = [];

    public Dictionary<Guid, XeroInvoice> Invoices { get; } = [];

    public Dictionary<Guid, XeroPayment> Payments { get; } = [];

    public long Requests { get; set; }

    public long Throttled { get; set; }

    public long IdempotentReplays { get; set; }

    public DateTimeOffset Now => Time.GetUtcNow();

    public bool IsCustomer(XeroContact contact) => _customers.Contains(contact.ContactId);

    public XeroAccount? AccountByCode(string code) => _accountsByCode.GetValueOrDefault(code.Trim());

    public XeroInvoice? InvoiceByNumber(string number) => _invoicesByNumber.GetValueOrDefault(number.Trim());

    public XeroContact AddContact(string name, string? email, string? firstName, string? lastName, string? contactNumber, IEnumerable<XeroContactPerson> persons)
    {
        Require(name, "name");
        var contact = new XeroContact
        {
            ContactId = Guid.NewGuid(),
            Name = Bounded(name, "name"),
            EmailAddress = Optional(email, "emailAddress"),
            FirstName = Optional(firstName, "firstName"),
            LastName = Optional(lastName, "lastName"),
            ContactNumber = Optional(contactNumber, "contactNumber"),
            UpdatedUtc = Now,
        };
        contact.ContactPersons.AddRange(persons.Select(p => p with
        {
            FirstName = Optional(p.FirstName, "contactPersons.firstName"),
            LastName = Optional(p.LastName, "contactPersons.lastName"),
            EmailAddress = Optional(p.EmailAddress, "contactPersons.emailAddress"),
        }));
        Contacts.Add(contact.ContactId, contact);
        Notify("CONTACT", "CREATE", contact.ContactId);
        return contact;
    }

    public XeroAccount AddAccount(string code, string name, string type, bool enablePayments, string? bankAccountNumber)
    {
        Require(code, "code");
        Require(name, "name");
        if (!XeroAccount.Classes.ContainsKey(type))
        {
            throw new ArgumentException($"type must be one of {string.Join(", ", XeroAccount.Classes.Keys)}.");
        }

        if (code.Length > 10 || _accountsByCode.ContainsKey(code))
        {
            throw new ArgumentException($"code must be unique and at most 10 characters: {code}.");
        }

        var account = new XeroAccount
        {
            AccountId = Guid.NewGuid(),
            Code = code.Trim(),
            Name = Bounded(name, "name"),
            Type = type,
            EnablePaymentsToAccount = enablePayments && type != "BANK",
            BankAccountNumber = Optional(bankAccountNumber, "bankAccountNumber"),
            CurrencyCode = BaseCurrency,
            UpdatedUtc = Now,
        };
        Accounts.Add(account.AccountId, account);
        _accountsByCode.Add(account.Code, account);
        return account;
    }

    /// <summary>Adds an ACCREC invoice (AUTHORISED unless told otherwise); its lines are income to their accounts.</summary>
    public XeroInvoice AddInvoice(XeroContact contact, string? number, string? reference, DateOnly date, DateOnly? dueDate,
        string status, string? currency, IReadOnlyList<XeroLineItem> lines)
    {
        if (status is not ("DRAFT" or "SUBMITTED" or "AUTHORISED"))
        {
            throw new ArgumentException("status must be DRAFT, SUBMITTED or AUTHORISED (PAID follows payments; VOIDED and DELETED follow a status change).");
        }

        if (lines.Count is 0 or > 1000 || lines.Any(l => l.Quantity <= 0 || l.UnitAmount < 0 || AccountByCode(l.AccountCode) is null))
        {
            throw new ArgumentException("an invoice needs 1 to 1000 lines, each with a quantity above 0, a unit amount of 0 or more and an existing account code.");
        }

        var invoiceNumber = string.IsNullOrWhiteSpace(number) ? $"INV-{++_lastInvoiceNumber:D4}" : Bounded(number, "invoiceNumber");
        if (_invoicesByNumber.ContainsKey(invoiceNumber))
        {
            throw new ArgumentException($"invoice number {invoiceNumber} already exists.");
        }

        var invoice = new XeroInvoice
        {
            InvoiceId = Guid.NewGuid(),
            InvoiceNumber = invoiceNumber,
            Reference = Optional(reference, "reference"),
            Contact = contact,
            Date = date,
            DueDate = dueDate,
            Status = status,
            CurrencyCode = string.IsNullOrWhiteSpace(currency) ? BaseCurrency : Bounded(currency, "currencyCode").ToUpperInvariant(),
            LineItems = lines,
            UpdatedUtc = Now,
        };
        Invoices.Add(invoice.InvoiceId, invoice);
        _invoicesByNumber.Add(invoiceNumber, invoice);
        _customers.Add(contact.ContactId);
        if (status == "AUTHORISED")
        {
            Post(invoice, +1);
        }

        Notify("INVOICE", "CREATE", invoice.InvoiceId);
        return invoice;
    }

    /// <summary>
    /// A person's change of an invoice's status in Xero: authorise a draft, void an unpaid authorised invoice, delete a
    /// draft or submitted one. Xero refuses to void an invoice with payments; so does the simulator.
    /// </summary>
    public void ChangeStatus(XeroInvoice invoice, string status)
    {
        var allowed = (invoice.Status, status) switch
        {
            ("DRAFT" or "SUBMITTED", "DRAFT" or "SUBMITTED" or "AUTHORISED" or "DELETED") => true,
            ("AUTHORISED", "VOIDED") => invoice.Payments.Count == 0,
            _ => false,
        };
        if (!allowed)
        {
            throw new ArgumentException($"an invoice in {invoice.Status}{(invoice.Payments.Count > 0 ? " with payments" : "")} cannot become {status}.");
        }

        if (status == "AUTHORISED")
        {
            Post(invoice, +1);
        }
        else if (invoice.Status == "AUTHORISED")
        {
            Post(invoice, -1);
        }

        invoice.Status = status;
        invoice.UpdatedUtc = Now;
        InvoiceChanged(invoice);
    }

    /// <summary>Income of an authorised invoice: its lines' accounts are credited (receivables are not kept as an account).</summary>
    private void Post(XeroInvoice invoice, int sign)
    {
        foreach (var line in invoice.LineItems)
        {
            Credit(_accountsByCode[line.AccountCode], sign * line.LineAmount);
        }
    }

    private static void Require(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{name} is required.");
        }
    }

    private static string Bounded(string value, string name) =>
        value.Trim().Length <= MaxTextLength ? value.Trim() : throw new ArgumentException($"{name} must be at most {MaxTextLength} characters.");

    private static string? Optional(string? value, string name) => string.IsNullOrWhiteSpace(value) ? null : Bounded(value, name);
}
