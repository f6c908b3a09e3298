using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// Fills a site with realistic client companies (each with 1-3 contacts, one of them the billing contact with an
/// email) and open invoices with exact cent totals. The same seed gives the same names, emails and amounts (dates are
/// relative to today). Invoices go through the same code path as API writes.
/// </summary>
internal static class CwSeeder
{
    public const int MaxCompanies = 5_000;
    public const int MaxInvoices = 20_000;

    private static readonly string[] Places =
    [
        "Bayshore", "Cedar Ridge", "Northwind", "Summit", "Harbor Point", "Redwood", "Pinecrest", "Lakeside", "Granite Peak", "Silver Creek",
        "Maple Grove", "Riverbend", "Oakmont", "Sunset Valley", "Blue Heron", "Ironwood", "Clearwater", "Highland", "Evergreen", "Willow Park",
    ];

    private static readonly string[] Businesses =
    [
        "Dental Group", "Law Partners", "Family Clinic", "Logistics", "Architects", "Veterinary", "Realty", "Accounting",
        "Manufacturing", "Construction", "Insurance", "Pediatrics", "Auto Repair", "Engineering", "Credit Union", "Marketing",
    ];

    private static readonly (string City, string State, string Zip)[] Cities =
    [
        ("Tampa", "FL", "33602"), ("Austin", "TX", "78701"), ("Denver", "CO", "80202"), ("Columbus", "OH", "43215"),
        ("Raleigh", "NC", "27601"), ("Portland", "OR", "97204"), ("Madison", "WI", "53703"), ("Boise", "ID", "83702"),
    ];

    private static readonly string[] GivenNames =
    [
        "James", "Maria", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "Daniel", "Nancy", "Kevin", "Priya", "Carlos", "Mei",
        "Ahmed", "Olivia", "Ethan", "Grace", "Samuel", "Hannah",
    ];

    private static readonly string[] FamilyNames =
    [
        "Anderson", "Nguyen", "Patel", "Garcia", "Okafor", "Schmidt", "Kowalski", "Rossi", "Tanaka", "Fischer", "Martinez", "Chen", "Murphy",
    ];

    private static readonly string[] Titles = ["Office Manager", "Controller", "Owner", "IT Coordinator", "Accounts Payable"];

    /// <summary>Services an MSP bills: (min units, max units, min unit price in cents, max unit price in cents).</summary>
    private static readonly (int MinQty, int MaxQty, int MinCents, int MaxCents)[] Catalog =
    [
        (1, 1, 45_000, 240_000), (1, 12, 9_500, 17_500), (1, 20, 6_500, 12_500), (5, 60, 2_200, 2_200),
        (5, 80, 450, 975), (1, 1, 14_900, 39_900), (1, 4, 89_900, 164_900), (4, 40, 11_000, 18_500),
    ];

    public static CwSeedResult Seed(CwSite site, CwSeedRequest request, CwActor actor)
    {
        if (request.Companies is < 0 or > MaxCompanies)
        {
            throw new ArgumentException($"companies must be between 0 and {MaxCompanies}.", nameof(request));
        }

        if (request.Invoices is < 0 or > MaxInvoices)
        {
            throw new ArgumentException($"invoices must be between 0 and {MaxInvoices}.", nameof(request));
        }

        var currencyCode = string.IsNullOrWhiteSpace(request.Currency) ? "USD" : request.Currency.Trim();
        var currency = CwSite.FindCurrency(currencyCode)
            ?? throw new ArgumentException($"currency must be one of {string.Join(", ", CwSite.Currencies.Select(c => c.Code))}.", nameof(request));
        var random = new Random(request.Seed ?? 1);
        var identifiers = new HashSet<string>(site.Companies.Values.Select(c => c.Identifier), StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(site.Companies.Values.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
        var companies = new List<CwCompany>();
        var taxRates = new Dictionary<int, decimal>();
        for (var i = 0; i < request.Companies; i++)
        {
            var place = Pick(random, Places);
            var business = Pick(random, Businesses);
            var name = place + " " + business;
            var baseIdentifier = new string([.. (place + business).Where(char.IsAsciiLetterOrDigit)]);
            baseIdentifier = baseIdentifier[..Math.Min(baseIdentifier.Length, 20)];
            var identifier = baseIdentifier;
            for (var n = 2; identifiers.Contains(identifier) || names.Contains(name); n++)
            {
                identifier = baseIdentifier + n.ToString(CultureInfo.InvariantCulture);
                name = $"{place} {business} {n.ToString(CultureInfo.InvariantCulture)}";
            }

            identifiers.Add(identifier);
            names.Add(name);
            var (city, state, zip) = Pick(random, Cities);
            var domain = baseIdentifier.ToLowerInvariant() + ".example.com";
            var company = site.AddCompany(identifier, name,
                $"{random.Next(100, 9999).ToString(CultureInfo.InvariantCulture)} {Pick(random, ["Main St", "Oak Ave", "Commerce Dr", "Harbor Blvd"])}",
                city, state, zip, Phone(random), "https://www." + domain, currency, actor.Member);
            taxRates[company.Id] = random.Next(2) == 0 ? 0m : 0.0725m;
            var contactCount = random.Next(1, 4);
            var billingIndex = random.Next(contactCount);
            for (var c = 0; c < contactCount; c++)
            {
                var first = Pick(random, GivenNames);
                var last = Pick(random, FamilyNames);
                var isBilling = c == billingIndex;
                var email = isBilling || random.Next(2) == 0 ? $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@{domain}" : null;
                site.AddContact(company, first, last, isBilling ? "Accounts Payable" : Pick(random, Titles), c == 0, isBilling, email, Phone(random), actor.Member);
            }

            companies.Add(company);
        }

        var pool = companies.Count > 0 ? companies : [.. site.Companies.Values.OrderBy(c => c.Id)];
        if (request.Invoices > 0 && pool.Count == 0)
        {
            throw new ArgumentException("invoices need companies: seed at least one company.", nameof(request));
        }

        var invoices = new List<int>();
        var today = new DateTimeOffset(site.Now.UtcDateTime.Date, TimeSpan.Zero);
        for (var i = 0; i < request.Invoices; i++)
        {
            var company = pool[random.Next(pool.Count)];
            var lines = random.Next(1, 4);
            var subtotalCents = 0L;
            for (var l = 0; l < lines; l++)
            {
                var (minQty, maxQty, minCents, maxCents) = Pick(random, Catalog);
                subtotalCents += (long)random.Next(minQty, maxQty + 1) * random.Next(minCents, maxCents + 1);
            }

            var subtotal = subtotalCents / 100m;
            var tax = decimal.Round(subtotal * taxRates.GetValueOrDefault(company.Id), 2, MidpointRounding.AwayFromZero);
            var date = today.AddDays(-random.Next(0, 46));
            var body = new JsonObject
            {
                ["type"] = "Standard",
                ["company"] = new JsonObject { ["id"] = company.Id },
                ["status"] = new JsonObject { ["id"] = random.Next(3) == 0 ? 1 : 2 },
                ["date"] = CwJson.Stamp(date),
                ["dueDate"] = CwJson.Stamp(date.AddDays(30)),
                ["currency"] = new JsonObject { ["id"] = company.Currency.Id },
                ["subtotal"] = subtotal,
                ["salesTax"] = tax,
                ["total"] = subtotal + tax,
                ["billingTerms"] = new JsonObject { ["id"] = 2, ["name"] = "Net 30 days" },
            };
            invoices.Add(site.CreateInvoice(JsonSerializer.SerializeToElement(body), actor).Id);
        }

        if (request.Closed is < 0 || request.Closed > request.Invoices)
        {
            throw new ArgumentException("closed must be between 0 and the number of invoices.", nameof(request));
        }

        var closedStatus = site.Statuses.Values.First(s => s.ClosedFlag).Id;
        foreach (var id in invoices.Take(request.Closed))
        {
            var invoice = site.Invoices[id];
            site.AddPayment(id, JsonSerializer.SerializeToElement(new JsonObject { ["type"] = "Payment", ["amount"] = invoice.Balance }), actor);
            invoice.StatusId = closedStatus;
            invoice.Audit.Changed();
        }

        return new CwSeedResult([.. companies.Select(c => c.Id)], invoices);
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static string Phone(Random random) =>
        string.Create(CultureInfo.InvariantCulture, $"{random.Next(201, 990)}555{random.Next(1000, 10000)}");
}
