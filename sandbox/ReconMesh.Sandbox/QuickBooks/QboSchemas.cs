namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>The entity types the simulator serves, and the properties QuickBooks accepts on each.</summary>
internal static class QboSchemas
{
    public const string Invoice = "Invoice";
    public const string Customer = "Customer";
    public const string Payment = "Payment";
    public const string Account = "Account";
    public const string Item = "Item";
    public const string Deposit = "Deposit";
    public const string CompanyInfo = "CompanyInfo";

    /// <summary>Entities that can be read and queried, by their name in any case.</summary>
    public static readonly IReadOnlyDictionary<string, string> Readable = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [Invoice] = Invoice,
        [Customer] = Customer,
        [Payment] = Payment,
        [Account] = Account,
        [Item] = Item,
        [Deposit] = Deposit,
    };

    private static readonly QboField Text = new(QboKind.String);
    private static readonly QboField Amount = new(QboKind.Decimal);
    private static readonly QboField Flag = new(QboKind.Boolean);
    private static readonly QboField Date = new(QboKind.Date);
    private static readonly QboField Whole = new(QboKind.Integer);
    private static readonly QboField Anything = new(QboKind.Any);
    private static readonly QboField ReadOnlyAnything = new(QboKind.Any, ReadOnly: true);
    private static readonly QboField ReadOnlyAmount = new(QboKind.Decimal, ReadOnly: true);
    private static readonly QboField ReadOnlyText = new(QboKind.String, ReadOnly: true);

    private static readonly QboField Reference = new(QboKind.Object, Schema: QboObjectSchema.Of("ReferenceType",
        ("value", Text), ("name", Text), ("type", Text)));

    private static readonly QboField Email = new(QboKind.Object, Schema: QboObjectSchema.Of("EmailAddress",
        ("Address", new QboField(QboKind.String, MaxLength: 100)), ("Id", Text), ("Default", Flag), ("Tag", Text)));

    private static readonly QboField Phone = new(QboKind.Object, Schema: QboObjectSchema.Of("TelephoneNumber",
        ("FreeFormNumber", new QboField(QboKind.String, MaxLength: 30)), ("Id", Text), ("Default", Flag), ("Tag", Text),
        ("DeviceType", Text), ("CountryCode", Text), ("AreaCode", Text), ("ExchangeCode", Text), ("Extension", Text)));

    private static readonly QboField LinkedTxn = new(QboKind.Array, Element: new QboField(QboKind.Object, Schema: QboObjectSchema.Of("LinkedTxn",
        ("TxnId", Text), ("TxnType", Text), ("TxnLineId", Text))));

    private static readonly (string, QboField)[] Common =
    [
        ("Id", Text),
        ("SyncToken", Text),
        ("sparse", Flag),
        ("domain", ReadOnlyText),
        ("status", ReadOnlyText),
        ("MetaData", ReadOnlyAnything),
    ];

    private static readonly QboObjectSchema SalesItemLineDetail = QboObjectSchema.Of("SalesItemLineDetail",
        ("ItemRef", Reference), ("Qty", Amount), ("UnitPrice", Amount), ("TaxCodeRef", Reference), ("ClassRef", Reference),
        ("ServiceDate", Date), ("ItemAccountRef", Reference), ("DiscountRate", Amount), ("DiscountAmt", Amount),
        ("TaxInclusiveAmt", Amount), ("MarkupInfo", Anything), ("TaxClassificationRef", Reference), ("PriceLevelRef", Reference));

    private static readonly QboObjectSchema InvoiceLine = QboObjectSchema.Of("Line",
        ("Id", Text), ("LineNum", Whole), ("Description", new QboField(QboKind.String, MaxLength: 4000)), ("Amount", Amount),
        ("DetailType", Text), ("SalesItemLineDetail", new QboField(QboKind.Object, Schema: SalesItemLineDetail)),
        ("SubTotalLineDetail", Anything), ("DiscountLineDetail", Anything), ("DescriptionLineDetail", Anything),
        ("GroupLineDetail", Anything), ("TaxLineDetail", Anything), ("LinkedTxn", Anything), ("LineEx", Anything),
        ("ProjectRef", Reference), ("CustomField", Anything));

    private static readonly QboObjectSchema PaymentLine = QboObjectSchema.Of("Line",
        ("Id", Text), ("LineNum", Whole), ("Amount", Amount), ("LinkedTxn", LinkedTxn), ("LineEx", Anything), ("Description", Text));

    public static readonly QboObjectSchema InvoiceSchema = QboObjectSchema.Of(Invoice,
    [
        .. Common,
        ("DocNumber", new QboField(QboKind.String, MaxLength: 21)),
        ("TxnDate", Date),
        ("DueDate", Date),
        ("ShipDate", Date),
        ("CustomerRef", Reference),
        ("Line", new QboField(QboKind.Array, Element: new QboField(QboKind.Object, Schema: InvoiceLine))),
        ("CurrencyRef", Reference),
        ("ExchangeRate", Amount),
        ("PrivateNote", new QboField(QboKind.String, MaxLength: 4000)),
        ("CustomerMemo", Anything),
        ("BillEmail", Email),
        ("BillEmailCc", Email),
        ("BillEmailBcc", Email),
        ("BillAddr", Anything),
        ("ShipAddr", Anything),
        ("ShipFromAddr", Anything),
        ("SalesTermRef", Reference),
        ("ClassRef", Reference),
        ("DepartmentRef", Reference),
        ("ProjectRef", Reference),
        ("ShipMethodRef", Reference),
        ("TaxExemptionRef", Reference),
        ("RecurDataRef", Reference),
        ("DepositToAccountRef", Reference),
        ("TrackingNum", Text),
        ("EmailStatus", Text),
        ("PrintStatus", Text),
        ("ApplyTaxAfterDiscount", Flag),
        ("AllowIPNPayment", Flag),
        ("AllowOnlinePayment", Flag),
        ("AllowOnlineCreditCardPayment", Flag),
        ("AllowOnlineACHPayment", Flag),
        ("FreeFormAddress", Flag),
        ("TxnTaxDetail", Anything),
        ("CustomField", Anything),
        ("GlobalTaxCalculation", Text),
        ("TransactionLocationType", Text),
        ("TxnSource", Text),
        ("Deposit", Amount),
        ("TotalAmt", ReadOnlyAmount),
        ("Balance", ReadOnlyAmount),
        ("HomeBalance", ReadOnlyAmount),
        ("HomeTotalAmt", ReadOnlyAmount),
        ("LinkedTxn", ReadOnlyAnything),
        ("InvoiceLink", ReadOnlyText),
        ("DeliveryInfo", ReadOnlyAnything),
    ]);

    public static readonly QboObjectSchema CustomerSchema = QboObjectSchema.Of(Customer,
    [
        .. Common,
        ("DisplayName", new QboField(QboKind.String, MaxLength: 500)),
        ("Title", new QboField(QboKind.String, MaxLength: 16)),
        ("GivenName", new QboField(QboKind.String, MaxLength: 100)),
        ("MiddleName", new QboField(QboKind.String, MaxLength: 100)),
        ("FamilyName", new QboField(QboKind.String, MaxLength: 100)),
        ("Suffix", new QboField(QboKind.String, MaxLength: 16)),
        ("CompanyName", new QboField(QboKind.String, MaxLength: 100)),
        ("PrintOnCheckName", new QboField(QboKind.String, MaxLength: 110)),
        ("PrimaryEmailAddr", Email),
        ("PrimaryPhone", Phone),
        ("AlternatePhone", Phone),
        ("Mobile", Phone),
        ("Fax", Phone),
        ("WebAddr", Anything),
        ("BillAddr", Anything),
        ("ShipAddr", Anything),
        ("Notes", new QboField(QboKind.String, MaxLength: 2000)),
        ("Active", Flag),
        ("Job", Flag),
        ("BillWithParent", Flag),
        ("ParentRef", Reference),
        ("Level", Whole),
        ("Taxable", Flag),
        ("DefaultTaxCodeRef", Reference),
        ("PreferredDeliveryMethod", Text),
        ("CurrencyRef", Reference),
        ("SalesTermRef", Reference),
        ("PaymentMethodRef", Reference),
        ("ARAccountRef", Reference),
        ("CustomerTypeRef", Reference),
        ("ResaleNum", Text),
        ("PrimaryTaxIdentifier", Text),
        ("SecondaryTaxIdentifier", Text),
        ("BusinessNumber", Text),
        ("TaxExemptionReasonId", Text),
        ("OpenBalanceDate", Date),
        ("Source", Text),
        ("IsProject", Flag),
        ("ClientEntityId", Text),
        ("GSTIN", Text),
        ("GSTRegistrationType", Text),
        ("FullyQualifiedName", ReadOnlyText),
        ("Balance", ReadOnlyAmount),
        ("BalanceWithJobs", ReadOnlyAmount),
        ("V4IDPseudonym", ReadOnlyText),
    ]);

    public static readonly QboObjectSchema PaymentSchema = QboObjectSchema.Of(Payment,
    [
        .. Common,
        ("TotalAmt", Amount),
        ("CustomerRef", Reference),
        ("Line", new QboField(QboKind.Array, Element: new QboField(QboKind.Object, Schema: PaymentLine))),
        ("DepositToAccountRef", Reference),
        ("TxnDate", Date),
        ("PaymentRefNum", new QboField(QboKind.String, MaxLength: 21)),
        ("PrivateNote", new QboField(QboKind.String, MaxLength: 4000)),
        ("PaymentMethodRef", Reference),
        ("ARAccountRef", Reference),
        ("CurrencyRef", Reference),
        ("ExchangeRate", Amount),
        ("ProcessPayment", Flag),
        ("CreditCardPayment", Anything),
        ("TxnSource", Text),
        ("TransactionLocationType", Text),
        ("ProjectRef", Reference),
        ("TaxExemptionRef", Reference),
        ("UnappliedAmt", ReadOnlyAmount),
        ("TxnStatus", ReadOnlyText),
    ]);

    private static readonly QboObjectSchema DepositLineDetail = QboObjectSchema.Of("DepositLineDetail",
        ("AccountRef", Reference), ("Entity", Anything), ("PaymentMethodRef", Reference), ("CheckNum", Text), ("TxnType", Text),
        ("ClassRef", Reference), ("TaxCodeRef", Reference), ("TaxApplicableOn", Text));

    private static readonly QboObjectSchema DepositLine = QboObjectSchema.Of("Line",
        ("Id", Text), ("LineNum", Whole), ("Description", new QboField(QboKind.String, MaxLength: 4000)), ("Amount", Amount),
        ("DetailType", Text), ("DepositLineDetail", new QboField(QboKind.Object, Schema: DepositLineDetail)), ("LinkedTxn", LinkedTxn),
        ("ProjectRef", Reference), ("LineEx", Anything), ("CustomField", Anything));

    public static readonly QboObjectSchema DepositSchema = QboObjectSchema.Of(Deposit,
    [
        .. Common,
        ("DepositToAccountRef", Reference),
        ("TxnDate", Date),
        ("Line", new QboField(QboKind.Array, Element: new QboField(QboKind.Object, Schema: DepositLine))),
        ("PrivateNote", new QboField(QboKind.String, MaxLength: 4000)),
        ("CurrencyRef", Reference),
        ("ExchangeRate", Amount),
        ("DepartmentRef", Reference),
        ("CashBack", Anything),
        ("TxnTaxDetail", Anything),
        ("GlobalTaxCalculation", Text),
        ("TransactionLocationType", Text),
        ("TxnSource", Text),
        ("TotalAmt", ReadOnlyAmount),
        ("HomeTotalAmt", ReadOnlyAmount),
    ]);

    public static readonly QboObjectSchema ItemSchema = QboObjectSchema.Of(Item,
    [
        .. Common,
        ("Name", new QboField(QboKind.String, MaxLength: 100)),
        ("Description", new QboField(QboKind.String, MaxLength: 4000)),
        ("Type", Text),
        ("Active", Flag),
        ("Taxable", Flag),
        ("UnitPrice", Amount),
        ("IncomeAccountRef", Reference),
        ("Sku", new QboField(QboKind.String, MaxLength: 100)),
        ("TrackQtyOnHand", Flag),
        ("FullyQualifiedName", ReadOnlyText),
    ]);

    public static readonly QboObjectSchema AccountSchema = QboObjectSchema.Of(Account,
    [
        .. Common,
        ("Name", new QboField(QboKind.String, MaxLength: 100)),
        ("AcctNum", new QboField(QboKind.String, MaxLength: 20)),
        ("Description", new QboField(QboKind.String, MaxLength: 100)),
        ("AccountType", Text),
        ("AccountSubType", Text),
        ("Active", Flag),
        ("SubAccount", Flag),
        ("ParentRef", Reference),
        ("CurrencyRef", Reference),
        ("TaxCodeRef", Reference),
        ("AccountAlias", Text),
        ("TxnLocationType", Text),
        ("Classification", ReadOnlyText),
        ("FullyQualifiedName", ReadOnlyText),
        ("CurrentBalance", ReadOnlyAmount),
        ("CurrentBalanceWithSubAccounts", ReadOnlyAmount),
    ]);

    /// <summary>Properties a query may filter or sort on, per entity (the first segment of a path).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Queryable = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        [Invoice] = Names(InvoiceSchema),
        [Customer] = Names(CustomerSchema),
        [Payment] = Names(PaymentSchema),
        [Account] = new HashSet<string>(
            ["Id", "SyncToken", "MetaData", "Name", "FullyQualifiedName", "Active", "Classification", "AccountType", "AccountSubType",
             "CurrentBalance", "CurrentBalanceWithSubAccounts", "CurrencyRef", "SubAccount", "ParentRef", "AcctNum", "Description"],
            StringComparer.OrdinalIgnoreCase),
        [Deposit] = Names(DepositSchema),
        [Item] = new HashSet<string>(
            ["Id", "SyncToken", "MetaData", "Name", "FullyQualifiedName", "Active", "Type", "Taxable", "UnitPrice", "TrackQtyOnHand",
             "IncomeAccountRef", "Description", "Sku", "QtyOnHand"],
            StringComparer.OrdinalIgnoreCase),
    };

    /// <summary>Name-list entities: queries return only active rows unless the query filters on <c>Active</c>.</summary>
    public static bool IsNameList(string entity) => entity is Customer or Account or Item;

    private static HashSet<string> Names(QboObjectSchema schema) => new(schema.Fields.Keys, StringComparer.OrdinalIgnoreCase);
}
