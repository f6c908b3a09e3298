using System.Globalization;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Seeds an organisation in bulk, deterministically for a seed: contacts <c>Customer 0001</c>… with an email and a
/// contact person each, then AUTHORISED ACCREC invoices spread over them, of one line to 200 Sales between 50.00 and
/// 5,000.00, dated over the 60 days before today. For demos and benchmarks (a 20,000-invoice initial sync).
/// </summary>
internal static class XeroSeeder
{
    public const int MaxContacts = 10_000;
    public const int MaxInvoices = 100_000;

    public static XeroSeedResult Seed(XeroOrganisation organisation, int contacts, int invoices, int seed)
    {
        if (contacts is < 0 or > MaxContacts || invoices is < 0 or > MaxInvoices || (invoices > 0 && contacts == 0 && organisation.Contacts.Count == 0))
        {
            throw new ArgumentException($"contacts must be 0 to {MaxContacts} and invoices 0 to {MaxInvoices}, and invoices need contacts.");
        }

        var random = new Random(seed);
        var start = organisation.Contacts.Count;
        for (var i = 1; i <= contacts; i++)
        {
            var number = (start + i).ToString("D4", CultureInfo.InvariantCulture);
            organisation.AddContact($"Customer {number}", $"billing{number}@example.test", null, null, $"C{number}",
                [new XeroContactPerson("Accounts", "Payable", $"ap{number}@example.test", true)]);
        }

        var customers = organisation.Contacts.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var today = DateOnly.FromDateTime(organisation.Now.UtcDateTime);
        var totals = 0m;
        for (var i = 0; i < invoices; i++)
        {
            var amount = random.Next(5_000, 500_001) / 100m;
            var date = today.AddDays(-random.Next(0, 60));
            var invoice = organisation.AddInvoice(customers[random.Next(customers.Count)], null, null, date, date.AddDays(30), "AUTHORISED", null,
                [new XeroLineItem(Guid.NewGuid(), "Managed services", 1m, amount, "200")]);
            totals += invoice.Total;
        }

        return new XeroSeedResult(contacts, invoices, totals);
    }
}
