namespace ReconMesh.Sandbox.ConnectWise;

internal enum CwFieldType
{
    String,
    Number,
    Boolean,
    Date,
}

/// <summary>
/// The fields of one resource that <c>conditions</c>, <c>childConditions</c> and <c>orderBy</c> may name, with their
/// types. Names are case-insensitive; <c>lastUpdated</c> and friends are aliases of <c>_info/…</c>.
/// </summary>
internal sealed class CwFieldMap
{
    private readonly Dictionary<string, (string Path, CwFieldType Type)> _fields = new(StringComparer.OrdinalIgnoreCase);

    private CwFieldMap(string resource) => Resource = resource;

    public string Resource { get; }

    public bool TryResolve(string name, out string path, out CwFieldType type)
    {
        if (_fields.TryGetValue(name.Trim().Trim('/'), out var field))
        {
            (path, type) = field;
            return true;
        }

        path = "";
        type = default;
        return false;
    }

    private CwFieldMap With(CwFieldType type, params string[] paths)
    {
        foreach (var path in paths)
        {
            _fields[path] = (path, type);
        }

        return this;
    }

    private CwFieldMap WithAudit()
    {
        foreach (var (name, type) in new[] { ("lastUpdated", CwFieldType.Date), ("dateEntered", CwFieldType.Date), ("updatedBy", CwFieldType.String), ("enteredBy", CwFieldType.String) })
        {
            _fields["_info/" + name] = ("_info/" + name, type);
            _fields[name] = ("_info/" + name, type);
        }

        return this;
    }

    private static string[] Ref(string name, bool identifier = false) =>
        identifier ? [name + "/identifier", name + "/name"] : [name + "/name"];

    public static readonly CwFieldMap Invoice = new CwFieldMap("invoice")
        .With(CwFieldType.Number, "id", "status/id", "company/id", "billToCompany/id", "shipToCompany/id", "currency/id", "subtotal", "total",
            "salesTax", "payments", "credits", "balance", "serviceTotal", "expenseTotal", "productTotal", "locationId", "departmentId",
            "territoryId", "applyToId", "billingTerms/id", "billingSite/id", "taxCode/id", "agreement/id", "project/id", "ticket/id")
        .With(CwFieldType.String, ["invoiceNumber", "type", "applyToType", "reference", "customerPO", "attention", "accountNumber",
            "internalNotes", "topComment", "bottomComment", "currency/currencyCode", "currency/symbol", "currency/name",
            .. Ref("status"), .. Ref("company", true), .. Ref("billToCompany", true), .. Ref("shipToCompany", true), .. Ref("billingTerms"),
            .. Ref("billingSite"), .. Ref("taxCode"), .. Ref("agreement")])
        .With(CwFieldType.Date, "date", "dueDate")
        .With(CwFieldType.Boolean, "specialInvoiceFlag", "taxableFlag", "addToBatchEmailList", "restrictDownpaymentFlag")
        .WithAudit();

    public static readonly CwFieldMap Payment = new CwFieldMap("payment")
        .With(CwFieldType.Number, "id", "invoice/id", "amount")
        .With(CwFieldType.String, "type", "invoice/identifier", "appliedBy")
        .With(CwFieldType.Date, "paymentDate")
        .WithAudit();

    public static readonly CwFieldMap BillingStatus = new CwFieldMap("billingStatus")
        .With(CwFieldType.Number, "id", "sortOrder")
        .With(CwFieldType.String, "name")
        .With(CwFieldType.Boolean, "defaultFlag", "closedFlag", "inactiveFlag", "sentFlag")
        .WithAudit();

    public static readonly CwFieldMap Company = new CwFieldMap("company")
        .With(CwFieldType.Number, "id", "status/id", "country/id", "defaultContact/id", "billingContact/id", "currency/id", "site/id",
            "types/id", "billingTerms/id")
        .With(CwFieldType.String, ["identifier", "name", "addressLine1", "addressLine2", "city", "state", "zip", "phoneNumber",
            "faxNumber", "website", "accountNumber", "invoiceToEmailAddress", "currency/currencyCode", .. Ref("status"), .. Ref("country"),
            .. Ref("defaultContact"), .. Ref("billingContact"), .. Ref("site"), .. Ref("types"), .. Ref("billingTerms")])
        .With(CwFieldType.Boolean, "deletedFlag", "leadFlag", "unsubscribeFlag", "isVendorFlag")
        .WithAudit();

    public static readonly CwFieldMap Contact = new CwFieldMap("contact")
        .With(CwFieldType.Number, "id", "company/id", "site/id", "communicationItems/id", "communicationItems/type/id")
        .With(CwFieldType.String, ["firstName", "lastName", "title", "defaultPhoneType", "defaultPhoneNbr", "communicationItems/value",
            "communicationItems/communicationType", "communicationItems/domain", "communicationItems/type/name",
            .. Ref("company", true), .. Ref("site")])
        .With(CwFieldType.Boolean, "inactiveFlag", "defaultFlag", "defaultBillingFlag", "communicationItems/defaultFlag",
            "disablePortalLoginFlag", "unsubscribeFlag")
        .WithAudit();

    public static readonly CwFieldMap Callback = new CwFieldMap("callback")
        .With(CwFieldType.Number, "id", "objectId", "memberId")
        .With(CwFieldType.String, "url", "type", "level", "description", "payloadVersion")
        .With(CwFieldType.Boolean, "inactiveFlag", "isSoapCallbackFlag", "isSelfSuppressedFlag")
        .WithAudit();
}
