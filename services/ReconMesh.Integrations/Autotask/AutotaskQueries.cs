namespace ReconMesh.Integrations.Autotask;

/// <summary>
/// The searches ReconMesh sends Autotask. Invoices are read by key (<c>id gt</c> the last id read, in id order, as
/// Autotask answers), so an invoice paid or voided while the pages are read cannot move another onto a page already read.
/// </summary>
public static class AutotaskQueries
{
    /// <summary>Autotask's largest page (<c>MaxRecords</c>).</summary>
    public const int PageSize = 500;

    /// <summary>Ids per <c>in</c> condition: one page's worth, so a page of invoices needs one query of their companies.</summary>
    public const int IdsPerQuery = 500;

    public static readonly IReadOnlyList<string> InvoiceFields =
    [
        "id", "companyID", "invoiceNumber", "invoiceDateTime", "createDateTime", "invoiceTotal", "totalTaxValue", "paidDate", "isVoided",
        "voidedDate", "dueDate", "webServiceDate",
    ];

    public static readonly IReadOnlyList<string> CompanyFields = ["id", "companyName", "billToAttention"];

    public static readonly IReadOnlyList<string> ContactFields =
        ["id", "companyID", "firstName", "lastName", "emailAddress", "phone", "isActive", "primaryContact"];

    /// <summary>The open invoices (not voided, no paid date) after <paramref name="afterId"/>.</summary>
    public static AutotaskSearch OpenInvoices(long afterId) => new(
        [AutotaskFilter.Gt("id", afterId), AutotaskFilter.Eq("isVoided", false), AutotaskFilter.NotExist("paidDate")], PageSize, InvoiceFields);

    /// <summary>
    /// The invoices after <paramref name="afterId"/> that Autotask shows to have changed since <paramref name="since"/>:
    /// made since (<c>createDateTime</c>), voided since (<c>voidedDate</c>), or paid on or after its day (<c>paidDate</c>
    /// holds a date only). Autotask keeps no last-modified time on invoices: a paid date set later to an earlier day is
    /// found by the periodic check of the open ones (<see cref="InvoicesById"/>).
    /// </summary>
    public static AutotaskSearch ChangedInvoices(DateTimeOffset since, long afterId) => new(
    [
        AutotaskFilter.Gt("id", afterId),
        AutotaskFilter.Or(
            AutotaskFilter.Gte("createDateTime", since),
            AutotaskFilter.Gte("voidedDate", since),
            AutotaskFilter.Gte("paidDate", new DateTimeOffset(since.UtcDateTime.Date, TimeSpan.Zero))),
    ], PageSize, InvoiceFields);

    /// <summary>The invoices of these ids (at most <see cref="IdsPerQuery"/>), after <paramref name="afterId"/>.</summary>
    public static AutotaskSearch InvoicesById(IReadOnlyCollection<long> ids, long afterId = 0) =>
        new([AutotaskFilter.In("id", Bounded(ids)), AutotaskFilter.Gt("id", afterId)], PageSize, InvoiceFields);

    public static AutotaskSearch Companies(IReadOnlyCollection<long> ids) => new([AutotaskFilter.In("id", Bounded(ids))], PageSize, CompanyFields);

    /// <summary>The active contacts of these companies, after <paramref name="afterId"/> (a company may have many).</summary>
    public static AutotaskSearch ActiveContacts(IReadOnlyCollection<long> companyIds, long afterId) => new(
        [AutotaskFilter.In("companyID", Bounded(companyIds)), AutotaskFilter.Eq("isActive", 1), AutotaskFilter.Gt("id", afterId)], PageSize, ContactFields);

    private static IReadOnlyCollection<long> Bounded(IReadOnlyCollection<long> ids) =>
        ids.Count is > 0 and <= IdsPerQuery ? ids : throw new ArgumentOutOfRangeException(nameof(ids), ids.Count, $"1 to {IdsPerQuery} ids per query");
}
