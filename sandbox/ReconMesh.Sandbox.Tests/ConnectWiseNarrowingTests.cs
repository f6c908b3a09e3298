using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// The ConnectWise simulator renders only the records a list can admit by id, company and lastUpdated, and reuses
/// each record's rendering until it changes. These tests check that such lists answer what a full scan does and that
/// a change shows at once.
/// </summary>
[TestFixture]
public sealed class ConnectWiseNarrowingTests
{
    private ConnectWiseSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await ConnectWiseSandboxHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Narrowed_lists_answer_like_a_scan_and_show_a_payment_at_once()
    {
        var site = await _host.NewSiteAsync();
        var seeded = await site.SeedAsync(companies: 3, invoices: 9);
        var ids = seeded["invoices"]!.AsArray().Select(i => (int)i!).Order().ToArray();
        var (a, b, c) = (ids[0], ids[3], ids[6]);
        var everything = await site.ListAsync("finance/invoices", null, "pageSize=1000");
        var company = (int)everything.First(r => (int)r!["id"]! == b)!["company"]!["id"]!;
        var balanceOfA = (decimal)everything.First(r => (int)r!["id"]! == a)!["balance"]!;

        var paid = await site.PostAsync($"finance/invoices/{a}/payments", new JsonObject { ["type"] = "Payment", ["amount"] = 1.25m });
        var listedA = await site.ListAsync("finance/invoices", $"id = {a}");
        var readA = await site.ReadAsync($"finance/invoices/{a}");
        var either = await site.ListAsync("finance/invoices", $"id = {a} or id = {c}", "orderBy=id");
        var notA = await site.ListAsync("finance/invoices", $"not id = {a} and id in ({a},{b})");
        var ofCompany = await site.ListAsync("finance/invoices", $"company/id = {company} and id in ({string.Join(",", ids)})", "orderBy=id");
        var projected = await site.ListAsync("finance/invoices", $"id in ({a})", "fields=id,balance");
        var whole = await site.ListAsync("finance/invoices", $"id in ({a})");
        var contacts = await site.ListAsync("company/contacts", null, "pageSize=1000");
        var contactsOfCompany = await site.ListAsync("company/contacts", $"company/id in ({company}) and inactiveFlag = false", "pageSize=1000");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(paid.Status, Is.EqualTo(HttpStatusCode.Created), paid.ToString());
            Assert.That((decimal)listedA.Single()!["balance"]!, Is.EqualTo(balanceOfA - 1.25m), "a list shows the payment at once");
            Assert.That((decimal)readA["balance"]!, Is.EqualTo(balanceOfA - 1.25m));
            Assert.That(either.Select(r => (int)r!["id"]!), Is.EqualTo(new[] { a, c }));
            Assert.That(notA.Select(r => (int)r!["id"]!), Is.EqualTo(new[] { b }));
            Assert.That(ofCompany.Select(r => (int)r!["id"]!), Is.EqualTo(everything
                .Where(r => (int)r!["company"]!["id"]! == company).Select(r => (int)r!["id"]!).Order()));
            Assert.That(projected.Single()!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "id", "balance" }));
            Assert.That(whole.Single()!.AsObject().Count, Is.GreaterThan(2), "a projection leaves the record's rendering whole");
            Assert.That(contactsOfCompany.Select(r => (int)r!["id"]!), Is.EquivalentTo(contacts
                .Where(r => (int)r!["company"]!["id"]! == company && !(bool)r!["inactiveFlag"]!).Select(r => (int)r!["id"]!)));
            Assert.That(contactsOfCompany, Is.Not.Empty);
        }
    }

    [Test]
    public async Task A_lastUpdated_bound_admits_exactly_the_records_changed_at_or_after_it()
    {
        var site = await _host.NewSiteAsync();
        var seeded = await site.SeedAsync(companies: 1, invoices: 3);
        var ids = seeded["invoices"]!.AsArray().Select(i => (int)i!).Order().ToArray();
        var at = _host.Clock.Advance(TimeSpan.FromMinutes(5));
        var paid = await site.PostAsync($"finance/invoices/{ids[1]}/payments", new JsonObject { ["type"] = "Payment", ["amount"] = 1m });
        _host.Clock.Advance(TimeSpan.FromSeconds(1));
        var stamp = at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        async Task<int[]> Ids(string conditions, string? extra = null) =>
            [.. (await site.ListAsync("finance/invoices", conditions, extra)).Select(r => (int)r!["id"]!)];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(paid.Status, Is.EqualTo(HttpStatusCode.Created), paid.ToString());
            Assert.That(await Ids($"lastUpdated >= [{stamp}]"), Is.EqualTo(new[] { ids[1] }));
            Assert.That(await Ids($"lastUpdated = [{stamp}]"), Is.EqualTo(new[] { ids[1] }));
            Assert.That(await Ids($"lastUpdated > [{stamp}]"), Is.Empty);
            Assert.That(await Ids($"lastUpdated >= [{stamp}]", "pageId=0&pageSize=1000"), Is.EqualTo(new[] { ids[1] }), "forward-only");
            Assert.That(await Ids($"lastUpdated < [{stamp}]"), Is.EqualTo(new[] { ids[0], ids[2] }));
        }
    }
}
