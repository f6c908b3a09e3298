using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// Fills a company with realistic customers and open invoices. The same seed gives the same names, emails, lines and
/// amounts (dates are relative to today). Everything goes through the same code paths as API writes.
/// </summary>
internal static class QboSeeder
{
    public const int MaxCustomers = 5_000;
    public const int MaxInvoices = 20_000;

    private static readonly string[] Places =
    [
        "Bayshore", "Cedar Ridge", "Northwind", "Summit", "Harbor Point", "Redwood", "Pinecrest", "Lakeside", "Granite Peak", "Silver Creek",
        "Maple Grove", "Riverbend", "Oakmont", "Sunset Valley", "Blue Heron", "Ironwood", "Clearwater", "Highland", "Evergreen", "Golden Gate",
        "Willow Park", "Stonebridge", "Fox Hollow", "Crescent Bay", "Aspen", "Copper Canyon", "Brookside", "Meadowlark", "Westfield", "Juniper",
    ];

    private static readonly string[] Businesses =
    [
        "Dental Group", "Law Partners", "Family Clinic", "Logistics", "Architects", "Veterinary Hospital", "Realty", "Accounting LLP",
        "Manufacturing", "Construction", "Insurance Agency", "Pediatrics", "Auto Repair", "Bakery", "Brewing Co.", "Orthodontics",
        "Physical Therapy", "Engineering", "Property Management", "Credit Union", "Marketing", "Title & Escrow", "Senior Living", "Charter School",
    ];

    private static readonly string[] GivenNames =
    [
        "James", "Maria", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "Daniel", "Nancy", "Kevin", "Priya", "Carlos", "Mei",
        "Ahmed", "Olivia", "Ethan", "Grace", "Samuel", "Hannah", "Luis", "Chloe", "Andre", "Fatima",
    ];

    private static readonly string[] FamilyNames =
    [
        "Anderson", "Nguyen", "Patel", "Garcia", "Okafor", "Schmidt", "Kowalski", "Rossi", "Tanaka", "O'Brien", "Fischer", "Martinez",
        "Johansson", "Haddad", "Chen", "Dubois", "Murphy", "Silva", "Novak", "Reyes",
    ];

    private static readonly ServiceLine[] Catalog =
    [
        new("Managed IT services - monthly", 1, 1, 45_000, 240_000),
        new("Onsite support (hours)", 1, 12, 9_500, 17_500),
        new("Remote helpdesk (hours)", 1, 20, 6_500, 12_500),
        new("Microsoft 365 Business Premium licenses", 5, 60, 2_200, 2_200),
        new("Endpoint protection licenses", 5, 80, 450, 975),
        new("Backup and disaster recovery", 1, 1, 14_900, 39_900),
        new("Firewall subscription renewal", 1, 1, 29_900, 125_000),
        new("Network cabling (drops)", 2, 24, 8_500, 14_000),
        new("Business laptop", 1, 4, 89_900, 164_900),
        new("Project labor (hours)", 4, 40, 11_000, 18_500),
    ];

    public static QboSeedResult Seed(QboCompany company, QboSeedRequest request)
    {
        if (request.Customers is < 0 or > MaxCustomers)
        {
            throw new ArgumentException($"customers must be between 0 and {MaxCustomers}.", nameof(request));
        }

        if (request.Invoices is < 0 or > MaxInvoices)
        {
            throw new ArgumentException($"invoices must be between 0 and {MaxInvoices}.", nameof(request));
        }

        var currency = string.IsNullOrWhiteSpace(request.Currency) ? "USD" : request.Currency.Trim().ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException("currency must be a three-letter ISO code.", nameof(request));
        }

        var random = new Random(request.Seed ?? 1);
        var taken = new HashSet<string>(
            company.All(QboSchemas.Customer).Select(c => QboJson.GetString(c.Doc, "DisplayName") ?? ""), StringComparer.OrdinalIgnoreCase);

        var customerIds = new List<string>();
        for (var i = 0; i < request.Customers; i++)
        {
            customerIds.Add(company.CreateCustomer(NewCustomer(random, taken, currency)).Id);
        }

        var pool = customerIds.Count > 0
            ? customerIds
            : [.. company.Live(QboSchemas.Customer)
                .Where(c => QboJson.GetBool(c.Doc, "Active") != false
                    && string.Equals(QboJson.RefValue(c.Doc, "CurrencyRef") ?? "USD", currency, StringComparison.OrdinalIgnoreCase))
                .Select(c => c.Id)];
        if (request.Invoices > 0 && pool.Count == 0)
        {
            throw new ArgumentException($"there are no active {currency} customers to invoice; ask for customers too.", nameof(request));
        }

        var order = pool.OrderBy(_ => random.Next()).ToList();
        var today = DateOnly.FromDateTime(company.Clock.Now.DateTime);
        var invoiceIds = new List<string>();
        for (var i = 0; i < request.Invoices; i++)
        {
            var customerId = order[i % order.Count];
            invoiceIds.Add(company.CreateInvoice(NewInvoice(random, customerId, today), allowDuplicateDocNumber: false).Id);
        }

        if (request.Paid is < 0 || request.Paid > request.Invoices)
        {
            throw new ArgumentException("paid must be between 0 and the number of invoices.", nameof(request));
        }

        foreach (var id in invoiceIds.Take(request.Paid))
        {
            var invoice = company.Find(QboSchemas.Invoice, id)!.Doc;
            var amount = QboJson.GetDecimal(invoice, "Balance") ?? 0m;
            company.CreatePayment(new JsonObject
            {
                ["CustomerRef"] = QboJson.Ref(QboJson.RefValue(invoice, "CustomerRef")!),
                ["TotalAmt"] = amount,
                ["Line"] = new JsonArray(new JsonObject
                {
                    ["Amount"] = amount,
                    ["LinkedTxn"] = new JsonArray(new JsonObject { ["TxnId"] = id, ["TxnType"] = "Invoice" }),
                }),
            });
        }

        return new QboSeedResult(customerIds, invoiceIds);
    }

    private static JsonObject NewCustomer(Random random, HashSet<string> taken, string currency)
    {
        string name;
        var attempts = 0;
        do
        {
            name = $"{Pick(random, Places)} {Pick(random, Businesses)}";
            if (++attempts > 20)
            {
                name += " " + (attempts - 19).ToString(CultureInfo.InvariantCulture);
            }
        }
        while (!taken.Add(name));

        var given = Pick(random, GivenNames);
        var family = Pick(random, FamilyNames);
        var domain = Slug(name) + ".example.com";
        return new JsonObject
        {
            ["DisplayName"] = name,
            ["CompanyName"] = name,
            ["GivenName"] = given,
            ["FamilyName"] = family,
            ["PrimaryEmailAddr"] = new JsonObject { ["Address"] = $"{Slug(given)}.{Slug(family)}@{domain}" },
            ["PrimaryPhone"] = new JsonObject
            {
                ["FreeFormNumber"] = string.Create(CultureInfo.InvariantCulture, $"(555) {random.Next(200, 1000)}-{random.Next(1000, 10000)}"),
            },
            ["CurrencyRef"] = new JsonObject { ["value"] = currency },
        };
    }

    private static JsonObject NewInvoice(Random random, string customerId, DateOnly today)
    {
        var lines = new JsonArray();
        var count = random.Next(1, 6);
        for (var i = 0; i < count; i++)
        {
            var service = Catalog[random.Next(Catalog.Length)];
            var qty = (decimal)random.Next(service.MinQty, service.MaxQty + 1);
            var unitPrice = random.Next(service.MinCents, service.MaxCents + 1) / 100m;
            lines.Add(new JsonObject
            {
                ["DetailType"] = "SalesItemLineDetail",
                ["Description"] = service.Description,
                ["Amount"] = qty * unitPrice,
                ["SalesItemLineDetail"] = new JsonObject
                {
                    ["ItemRef"] = QboJson.Ref("1", "Services"),
                    ["Qty"] = qty,
                    ["UnitPrice"] = unitPrice,
                },
            });
        }

        var txnDate = today.AddDays(-random.Next(0, 45));
        return new JsonObject
        {
            ["CustomerRef"] = QboJson.Ref(customerId),
            ["Line"] = lines,
            ["TxnDate"] = txnDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["DueDate"] = txnDate.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Slug(string text)
    {
        var slug = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
        }

        return slug.ToString();
    }

    private sealed record ServiceLine(string Description, int MinQty, int MaxQty, int MinCents, int MaxCents);
}
