using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// The Autotask simulator's admin API: databases and their API users, deterministic seeding, invoices voided or
/// marked paid by hand as an Autotask user would, and the books.
/// </summary>
[TestFixture]
public sealed class AutotaskAdminTests
{
    private readonly ConnectWiseManualClock _clock = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private AutotaskSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await AutotaskSandboxHost.StartAsync(_clock);

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task The_default_database_answers_with_the_documented_credentials()
    {
        var client = new AutotaskTestClient(_host, "sandbox", AutotaskSandboxHost.DefaultUser, "sandbox-autotask-secret", "RECONMESHSANDBOXCODE");

        var threshold = await client.GetAsync("ThresholdInformation");
        var databases = await _host.AdminAsync(HttpMethod.Get, "/admin/autotask/databases", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(threshold.Status, Is.EqualTo(HttpStatusCode.OK), threshold.ToString());
            Assert.That(databases["databases"]!.AsArray().Select(d => d!.GetValue<string>()), Does.Contain("sandbox"));
        }
    }

    [Test]
    public async Task Seeding_is_deterministic_and_makes_companies_billing_contacts_and_invoices()
    {
        var first = await _host.NewDatabaseAsync();
        var second = await _host.NewDatabaseAsync();
        var seed = new JsonObject { ["seed"] = 42, ["companies"] = 4, ["invoicesPerCompany"] = 5, ["paidRate"] = 0.2, ["voidedRate"] = 0.1 };
        var made = await _host.AdminAsync(HttpMethod.Post, first.Admin + "/seed", seed, HttpStatusCode.Created);
        await _host.AdminAsync(HttpMethod.Post, second.Admin + "/seed", seed.DeepClone(), HttpStatusCode.Created);
        var all = AutotaskTestClient.Filter("gt", "id", 0);
        static string Fingerprint(JsonArray items, params string[] fields) =>
            string.Join("|", items.Select(i => string.Join(",", fields.Select(f => i![f]?.ToJsonString()))));

        var firstInvoices = await first.ItemsAsync("Invoices", all);
        var secondInvoices = await second.ItemsAsync("Invoices", all);
        var firstCompanies = await first.ItemsAsync("Companies", all);
        var billing = await first.ItemsAsync("Contacts", AutotaskTestClient.Filter("eq", "primaryContact", true));
        var contacts = await first.ItemsAsync("Contacts", all);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(made["invoices"]!.GetValue<int>(), Is.EqualTo(20));
            Assert.That(firstInvoices, Has.Count.EqualTo(20));
            Assert.That(Fingerprint(secondInvoices, "invoiceNumber", "invoiceTotal", "invoiceDateTime", "paidDate", "isVoided"),
                Is.EqualTo(Fingerprint(firstInvoices, "invoiceNumber", "invoiceTotal", "invoiceDateTime", "paidDate", "isVoided")));
            Assert.That(Fingerprint(await second.ItemsAsync("Companies", all), "companyName", "billToAttention"),
                Is.EqualTo(Fingerprint(firstCompanies, "companyName", "billToAttention")));
            Assert.That(firstInvoices.Count(i => i!["isVoided"]!.GetValue<bool>()), Is.InRange(1, 6));
            Assert.That(firstInvoices.Count(i => i!["paidDate"] is not null), Is.InRange(1, 10));
            Assert.That(firstInvoices.Select(i => i!["invoiceTotal"]!.GetValue<decimal>()), Is.All.InRange(50m, 5000m));
            Assert.That(billing, Has.Count.EqualTo(4));
            Assert.That(contacts, Has.Count.EqualTo(8));
            Assert.That(billing.Select(c => $"{c!["firstName"]} {c["lastName"]}"),
                Is.EquivalentTo(firstCompanies.Select(c => c!["billToAttention"]!.GetValue<string>())));
        }
    }

    [Test]
    public async Task An_invoice_voided_or_marked_paid_by_hand_leaves_the_open_invoices()
    {
        var client = await _host.NewDatabaseAsync();
        var companyId = await client.AddCompanyAsync("Pioneer Accounting");
        var (voided, _) = await client.AddInvoiceAsync(companyId, 10m);
        var (paid, _) = await client.AddInvoiceAsync(companyId, 20m);
        var (open, number) = await client.AddInvoiceAsync(companyId, 30m, number: "AT-3000", date: "2026-12-01");
        var openOnes = new JsonObject
        {
            ["filter"] = new JsonArray(AutotaskTestClient.Item("eq", "isVoided", false), AutotaskTestClient.Item("notExist", "paidDate")),
        };

        await _host.AdminAsync(HttpMethod.Post, $"{client.Admin}/invoices/{voided}/void", null, HttpStatusCode.NoContent);
        await _host.AdminAsync(HttpMethod.Post, $"{client.Admin}/invoices/{paid}/paid", new JsonObject { ["paidDate"] = "2026-12-04" }, HttpStatusCode.NoContent);
        var stillOpen = await client.ItemsAsync("Invoices", openOnes);
        var voidedItem = (await client.GetAsync($"Invoices/{voided}")).Json["item"]!;
        await _host.AdminAsync(HttpMethod.Post, $"{client.Admin}/invoices/{paid}/paid", JsonNode.Parse("{\"paidDate\":null}"), HttpStatusCode.NoContent);
        var reopened = await client.ItemsAsync("Invoices", openOnes);
        await _host.AdminAsync(HttpMethod.Post, $"{client.Admin}/invoices/999/void", null, HttpStatusCode.NotFound);
        var books = await client.BooksAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stillOpen.Select(i => i!["id"]!.GetValue<long>()), Is.EqualTo(new[] { open }));
            Assert.That(number, Is.EqualTo("AT-3000"));
            Assert.That(voidedItem["isVoided"]!.GetValue<bool>(), Is.True);
            Assert.That(voidedItem["voidedDate"]!.GetValue<string>(), Is.EqualTo("2026-12-05T09:00:00Z"));
            Assert.That(reopened.Select(i => i!["id"]!.GetValue<long>()), Is.EqualTo(new[] { paid, open }));
            Assert.That(books["invoices"]!.AsArray().Select(i => i!["invoiceTotal"]!.GetValue<decimal>()), Is.EqualTo(new[] { 10m, 20m, 30m }));
        }
    }

    [Test]
    public async Task The_admin_API_refuses_what_it_cannot_do()
    {
        var client = await _host.NewDatabaseAsync();
        var companyId = await client.AddCompanyAsync("Lakeside Realty");
        await client.AddInvoiceAsync(companyId, 5m, number: "DUP-1");

        await _host.AdminAsync(HttpMethod.Post, "/admin/autotask/databases", new JsonObject { ["databaseId"] = client.DatabaseId }, HttpStatusCode.Conflict);
        await _host.AdminAsync(HttpMethod.Post, "/admin/autotask/databases", new JsonObject { ["userName"] = client.UserName }, HttpStatusCode.Conflict);
        await _host.AdminAsync(HttpMethod.Post, "/admin/autotask/databases", new JsonObject { ["requestsPerHour"] = -5 }, HttpStatusCode.BadRequest);
        await _host.AdminAsync(HttpMethod.Post, client.Admin + "/seed", new JsonObject { ["companies"] = 0 }, HttpStatusCode.BadRequest);
        await _host.AdminAsync(HttpMethod.Post, client.Admin + "/seed", new JsonObject { ["paidRate"] = 0.7, ["voidedRate"] = 0.5 }, HttpStatusCode.BadRequest);
        await _host.AdminAsync(HttpMethod.Post, client.Admin + "/invoices", new JsonObject { ["companyId"] = 1, ["invoiceTotal"] = 5 }, HttpStatusCode.BadRequest);
        await _host.AdminAsync(HttpMethod.Post, client.Admin + "/invoices",
            new JsonObject { ["companyId"] = companyId, ["invoiceTotal"] = 5, ["invoiceNumber"] = "dup-1" }, HttpStatusCode.BadRequest);
        await _host.AdminAsync(HttpMethod.Post, client.Admin + "/invoices",
            new JsonObject { ["companyId"] = companyId, ["invoiceTotal"] = 5, ["invoiceDate"] = "05/12/2026" }, HttpStatusCode.BadRequest);
        await _host.AdminAsync(HttpMethod.Post, client.Admin + "/users", new JsonObject { ["userName"] = "x@y.test" }, HttpStatusCode.BadRequest);
        await _host.AdminAsync(HttpMethod.Get, "/admin/autotask/databases/nope/books", null, HttpStatusCode.NotFound);

        Assert.That((await client.BooksAsync())["invoices"]!.AsArray(), Has.Count.EqualTo(1));
    }
}
