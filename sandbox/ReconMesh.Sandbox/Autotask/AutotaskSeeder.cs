using System.Globalization;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// Makes what Autotask's users and its billing would have made: companies with a billing contact (the company's
/// <c>billToAttention</c>, <c>primaryContact</c>) and a second contact, and posted invoices. <see cref="Seed"/> is
/// deterministic: the same seed, counts and clock give the same names, amounts and dates. Callers hold the database's lock.
/// </summary>
internal static class AutotaskSeeder
{
    private const long ApiResourceId = 29_682_885;

    private static readonly string[] Names =
        ["Harbor", "Summit", "Granite", "Cedar", "Northwind", "Bluewater", "Ironwood", "Meridian", "Pioneer", "Lakeside", "Redstone", "Silverline"];

    private static readonly string[] Kinds = ["Dental", "Logistics", "Legal", "Clinics", "Builders", "Accounting", "Foods", "Realty"];

    private static readonly string[] FirstNames = ["Ana", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jonas"];

    private static readonly string[] LastNames = ["Silva", "Okafor", "Nguyen", "Meyer", "Rossi", "Kowalski", "Haddad", "Larsen", "Tanaka", "Brennan"];

    public static AutotaskRecord AddCompany(AutotaskDatabase database, string name, string firstName, string lastName, string email)
    {
        var company = database.Add(AutotaskEntity.Companies);
        var now = database.Now;
        var number = company.Id.ToString(CultureInfo.InvariantCulture);
        foreach (var (field, value) in new (string, object?)[]
        {
            ("companyName", name), ("companyNumber", number), ("companyType", 1L), ("isActive", true), ("phone", "555-0100"),
            ("address1", "100 Main Street"), ("city", "Springfield"), ("state", "IL"), ("postalCode", "62701"), ("countryID", 237L),
            ("billToAttention", $"{firstName} {lastName}"), ("billToAddress1", "100 Main Street"), ("billToCity", "Springfield"),
            ("billToState", "IL"), ("billToZipCode", "62701"), ("invoiceMethod", 1L), ("ownerResourceID", ApiResourceId),
            ("createDate", now), ("lastActivityDate", now), ("lastTrackedModifiedDateTime", now),
        })
        {
            company[field] = value;
        }

        AddContact(database, company.Id, firstName, lastName, email, "Accounts Payable", primary: true);
        return company;
    }

    public static AutotaskRecord AddContact(AutotaskDatabase database, long companyId, string firstName, string lastName, string email, string title, bool primary)
    {
        var contact = database.Add(AutotaskEntity.Contacts);
        foreach (var (field, value) in new (string, object?)[]
        {
            ("companyID", companyId), ("firstName", firstName), ("lastName", lastName), ("title", title), ("emailAddress", email),
            ("phone", "555-0101"), ("isActive", 1L), ("primaryContact", primary), ("createDate", database.Now), ("lastActivityDate", database.Now), ("lastModifiedDate", database.Now),
        })
        {
            contact[field] = value;
        }

        return contact;
    }

    /// <summary>A posted invoice of <paramref name="total"/> (tax included) dated <paramref name="date"/>, due after <paramref name="termDays"/>.</summary>
    public static AutotaskRecord AddInvoice(AutotaskDatabase database, long companyId, decimal total, decimal tax, DateTime date, int termDays, string? number)
    {
        var invoice = database.Add(AutotaskEntity.Invoices);
        database.SetInvoiceNumber(invoice, number ?? database.NextInvoiceNumber());
        var day = DateTime.SpecifyKind(date.Date, DateTimeKind.Utc);
        foreach (var (field, value) in new (string, object?)[]
        {
            ("companyID", companyId), ("invoiceDateTime", day), ("createDateTime", database.Now), ("creatorResourceID", ApiResourceId),
            ("invoiceTotal", total), ("totalTaxValue", tax), ("isVoided", false), ("dueDate", day.AddDays(termDays)), ("paymentTerm", 1L),
            ("batchID", 1L), ("fromDate", day.AddDays(-30)), ("toDate", day.AddDays(-1)), ("invoiceEditorTemplateID", 1L),
            ("comments", ""), ("taxRegionName", "Illinois"),
        })
        {
            invoice[field] = value;
        }

        return invoice;
    }

    public static void Void(AutotaskDatabase database, AutotaskRecord invoice)
    {
        invoice["isVoided"] = true;
        invoice["voidedDate"] = database.Now;
        invoice["voidedByResourceID"] = ApiResourceId;
    }

    /// <summary>
    /// <paramref name="companies"/> companies with two contacts each and <paramref name="invoicesPerCompany"/> invoices
    /// each over the last 30 days; a share of them paid or voided. Returns the ids of the invoices made.
    /// </summary>
    public static List<long> Seed(AutotaskDatabase database, int seed, int companies, int invoicesPerCompany, double paidRate, double voidedRate)
    {
        var random = new Random(seed);
        var today = database.Now.Date;
        var made = new List<long>();
        for (var c = 0; c < companies; c++)
        {
            var name = $"{Names[random.Next(Names.Length)]} {Kinds[random.Next(Kinds.Length)]} {seed}-{c + 1}";
            var slug = $"c{seed}-{c + 1}";
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var company = AddCompany(database, name, first, last, $"ap@{slug}.test");
            AddContact(database, company.Id, FirstNames[random.Next(FirstNames.Length)], LastNames[random.Next(LastNames.Length)],
                $"it@{slug}.test", "IT Manager", primary: false);
            for (var i = 0; i < invoicesPerCompany; i++)
            {
                var total = random.Next(5_000, 500_000) / 100m;
                var date = today.AddDays(-random.Next(0, 30));
                var fate = random.NextDouble();
                var invoice = AddInvoice(database, company.Id, total, 0m, date, 30, null);
                if (fate < voidedRate)
                {
                    Void(database, invoice);
                }
                else if (fate < voidedRate + paidRate)
                {
                    var paid = date.AddDays(random.Next(1, 20));
                    invoice["paidDate"] = DateTime.SpecifyKind(paid > today ? today : paid, DateTimeKind.Utc);
                }

                made.Add(invoice.Id);
            }
        }

        return made;
    }
}
