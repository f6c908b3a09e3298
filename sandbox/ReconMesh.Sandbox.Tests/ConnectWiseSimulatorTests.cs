using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// Contract tests of the ConnectWise PSA (Manage REST API 3.0) simulator over real HTTP, with the Basic auth and
/// clientId headers a client written from ConnectWise's docs sends. Each test works in its own site, created through
/// the admin API.
/// </summary>
[TestFixture]
public sealed class ConnectWiseSimulatorTests
{
    private const string DefaultCompany = "reconmesh";
    private const string DefaultPublicKey = "sandbox-public";
    private const string DefaultPrivateKey = "sandbox-private";
    private const string DefaultClientId = "00000000-0000-4000-8000-00000000c11e";

    private static readonly string[] DefaultStatusNames = ["New", "Sent", "Closed", "Inactive"];
    private static readonly int[] ClosedStatusIds = [3];
    private static readonly string[] ErrorBodyKeys = ["code", "message", "errors"];

    private ConnectWiseSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await ConnectWiseSandboxHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    // ---------------------------------------------------------------- authentication

    [Test]
    public async Task The_default_site_answers_with_its_documented_credentials_and_billing_statuses()
    {
        var site = new ConnectWiseTestClient(_host, DefaultCompany, DefaultPublicKey, DefaultPrivateKey, DefaultClientId);
        var statuses = await site.ListAsync("finance/billingStatuses", extra: "orderBy=id");
        var closed = await site.ListAsync("finance/billingStatuses", "closedFlag=true");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses.Select(s => (string)s!["name"]!), Is.EqualTo(DefaultStatusNames));
            Assert.That((bool)statuses[0]!["defaultFlag"]!, Is.True);
            Assert.That((bool)statuses[1]!["sentFlag"]!, Is.True);
            Assert.That(closed.Select(s => (int)s!["id"]!), Is.EqualTo(ClosedStatusIds));
        }
    }

    [Test]
    public async Task Missing_or_wrong_credentials_get_401_and_a_missing_clientId_gets_400_in_the_ConnectWise_error_body()
    {
        var site = await _host.NewSiteAsync();
        var noAuth = await site.SendAsync(HttpMethod.Get, "finance/invoices", null, authorization: "");
        var wrongKey = await site.SendAsync(HttpMethod.Get, "finance/invoices", null,
            authorization: ConnectWiseTestClient.Basic(site.CompanyId, site.PublicKey, "not-the-key"));
        var otherSite = await site.SendAsync(HttpMethod.Get, "finance/invoices", null,
            authorization: ConnectWiseTestClient.Basic(DefaultCompany, site.PublicKey, site.PrivateKey));
        var noClientId = await site.SendAsync(HttpMethod.Get, "finance/invoices", null, client: "");
        var ok = await site.GetAsync("finance/invoices");

        foreach (var reply in new[] { noAuth, wrongKey, otherSite })
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Unauthorized), reply.ToString());
            AssertErrorBody(reply);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(noClientId.Status, Is.EqualTo(HttpStatusCode.BadRequest), noClientId.ToString());
            Assert.That((string)noClientId.Json["message"]!, Does.Contain("clientId"));
            Assert.That((string)noClientId.Json["errors"]![0]!["field"]!, Is.EqualTo("clientId"));
            Assert.That(ok.Status, Is.EqualTo(HttpStatusCode.OK), ok.ToString());
            Assert.That(ok.Rows, Is.Empty);
        }
    }

    // ---------------------------------------------------------------- conditions, orderBy, paging, count

    [Test]
    public async Task Conditions_support_and_or_parentheses_nested_paths_dates_contains_like_and_in()
    {
        var (site, first, second) = await SiteWithTwoCompaniesAsync();
        var a = await site.NewInvoiceAsync(first, 100.00m, "ACME-1", "2024-01-15T00:00:00Z");
        var b = await site.NewInvoiceAsync(first, 250.50m, "ACME-2", "2024-02-10T00:00:00Z", statusId: 2);
        var c = await site.NewInvoiceAsync(second, 75.25m, "GLOBEX-1", "2024-02-20T00:00:00Z");
        var d = await site.NewInvoiceAsync(second, 1200.00m, "GLOBEX-2", "2023-12-01T00:00:00Z", statusId: 3);

        async Task<int[]> Ids(string conditions) =>
            [.. (await site.ListAsync("finance/invoices", conditions)).Select(r => (int)r!["id"]!)];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Ids($"company/id={first} and total > 150"), Is.EqualTo(new[] { Id(b) }));
            Assert.That(await Ids($"(company/id = {first} AND total < 150) OR status/name = \"Closed\""), Is.EqualTo(new[] { Id(a), Id(d) }));
            Assert.That(await Ids("date >= [2024-02-01T00:00:00Z] and date < [2024-02-15T00:00:00Z]"), Is.EqualTo(new[] { Id(b) }));
            Assert.That(await Ids("invoiceNumber contains 'globex'"), Is.EqualTo(new[] { Id(c), Id(d) }));
            Assert.That(await Ids("invoiceNumber like \"ACME%\" and status/id != 2"), Is.EqualTo(new[] { Id(a) }));
            Assert.That(await Ids("status/id in (2,3)"), Is.EqualTo(new[] { Id(b), Id(d) }));
            Assert.That(await Ids("status/id not in (2,3) and balance = 75.25"), Is.EqualTo(new[] { Id(c) }));
            Assert.That(await Ids($"company/name = \"{(string)c["company"]!["name"]!}\" and specialInvoiceFlag = false"), Is.EqualTo(new[] { Id(c), Id(d) }));
        }
    }

    [Test]
    public async Task A_badly_typed_or_malformed_condition_is_a_400_with_ConnectWise_wording()
    {
        var site = await _host.NewSiteAsync();
        var wrongType = await site.GetAsync("finance/invoices?conditions=" + ConnectWiseTestClient.AxiosEncode("total = \"abc\""));
        var unknownField = await site.GetAsync("finance/invoices?conditions=" + ConnectWiseTestClient.AxiosEncode("nope = 1"));
        var unbalanced = await site.GetAsync("finance/invoices?conditions=" + ConnectWiseTestClient.AxiosEncode("(id = 1"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(wrongType.Status, Is.EqualTo(HttpStatusCode.BadRequest), wrongType.ToString());
            Assert.That((string)wrongType.Json["message"]!, Does.StartWith("Expected a numeric value, not a string."));
            Assert.That(unknownField.Status, Is.EqualTo(HttpStatusCode.BadRequest), unknownField.ToString());
            Assert.That(unbalanced.Status, Is.EqualTo(HttpStatusCode.BadRequest), unbalanced.ToString());
        }

        AssertErrorBody(wrongType);
    }

    [Test]
    public async Task An_incremental_sync_sees_only_invoices_changed_after_its_lastUpdated_watermark()
    {
        var (site, company, _) = await SiteWithTwoCompaniesAsync();
        var untouched = await site.NewInvoiceAsync(company, 10m);
        var edited = await site.NewInvoiceAsync(company, 20m);
        var watermark = _host.Clock.Advance(TimeSpan.FromMinutes(5));
        _host.Clock.Advance(TimeSpan.FromSeconds(1));
        await _host.AdminAsync(HttpMethod.Patch, $"/admin/cw/sites/{site.CompanyId}/invoices/{Id(edited)}", new JsonObject { ["total"] = 25.50m });
        var added = await site.NewInvoiceAsync(company, 30m);

        var stamp = watermark.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var changed = await site.ListAsync("finance/invoices", $"lastUpdated > [{stamp}]", "orderBy=id");
        var byInfo = await site.ListAsync("finance/invoices", $"_info/lastUpdated > [{stamp}]");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed.Select(r => (int)r!["id"]!), Is.EqualTo(new[] { Id(edited), Id(added) }));
            Assert.That(byInfo, Has.Count.EqualTo(2));
            Assert.That((decimal)changed[0]!["total"]!, Is.EqualTo(25.50m));
            Assert.That((decimal)changed[0]!["balance"]!, Is.EqualTo(25.50m));
            Assert.That((string)changed[0]!["_info"]!["updatedBy"]!, Is.EqualTo("admin1"));
            Assert.That(Id(untouched), Is.Not.AnyOf(changed.Select(r => (int)r!["id"]!).ToArray()));
        }
    }

    [Test]
    public async Task OrderBy_sorts_by_any_field_ascending_or_descending()
    {
        var (site, first, second) = await SiteWithTwoCompaniesAsync();
        var small = await site.NewInvoiceAsync(first, 5.00m);
        var large = await site.NewInvoiceAsync(second, 500.00m);
        var medium = await site.NewInvoiceAsync(first, 50.00m);

        var descending = await site.ListAsync("finance/invoices", extra: "orderBy=total+desc");
        var byCompanyThenTotal = await site.ListAsync("finance/invoices", extra: "orderBy=" + ConnectWiseTestClient.AxiosEncode("company/id asc, total desc"));
        var badField = await site.GetAsync("finance/invoices?orderBy=nothing+desc");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(descending.Select(r => (int)r!["id"]!), Is.EqualTo(new[] { Id(large), Id(medium), Id(small) }));
            Assert.That(byCompanyThenTotal.Select(r => (int)r!["id"]!), Is.EqualTo(new[] { Id(medium), Id(small), Id(large) }));
            Assert.That(badField.Status, Is.EqualTo(HttpStatusCode.BadRequest), badField.ToString());
        }
    }

    [Test]
    public async Task Pages_come_with_Link_headers_and_a_page_size_above_1000_is_refused()
    {
        var site = await _host.NewSiteAsync();
        var seeded = await site.SeedAsync(companies: 2, invoices: 7);
        var ids = seeded["invoices"]!.AsArray().Select(i => (int)i!).Order().ToArray();

        var page2 = await site.GetAsync("finance/invoices?conditions=" + ConnectWiseTestClient.AxiosEncode("total > 0") + "&page=2&pageSize=3");
        var page3 = await site.GetAsync("finance/invoices?page=3&pageSize=3");
        var defaultPage = await site.GetAsync("finance/invoices");
        var tooLarge = await site.GetAsync("finance/invoices?pageSize=1001");
        var max = await site.GetAsync("finance/invoices?pageSize=1000");

        var link = page2.Header("Link") ?? "";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page2.Rows.Select(r => (int)r!["id"]!), Is.EqualTo(ids[3..6]));
            Assert.That(link, Does.Contain("pageSize=3&page=1>; rel=\"first\""));
            Assert.That(link, Does.Contain("pageSize=3&page=1>; rel=\"prev\""));
            Assert.That(link, Does.Contain("pageSize=3&page=3>; rel=\"next\""));
            Assert.That(link, Does.Contain("pageSize=3&page=3>; rel=\"last\""));
            Assert.That(link, Does.Contain("conditions=total%20%3E%200"), "other parameters are kept");
            Assert.That(link, Does.StartWith("<" + new Uri(_host.BaseAddress, "/v4_6_release/apis/3.0/finance/invoices?")));
            Assert.That(page3.Rows.Select(r => (int)r!["id"]!), Is.EqualTo(ids[6..]));
            Assert.That(page3.Header("Link"), Does.Not.Contain("rel=\"next\""));
            Assert.That(defaultPage.Rows, Has.Count.EqualTo(7));
            Assert.That(defaultPage.Header("Link"), Is.Null);
            Assert.That(tooLarge.Status, Is.EqualTo(HttpStatusCode.BadRequest), tooLarge.ToString());
            Assert.That(max.Status, Is.EqualTo(HttpStatusCode.OK));
        }

        AssertErrorBody(tooLarge);
    }

    [Test]
    public async Task Forward_only_paging_reads_ids_after_pageId_and_links_the_next_page()
    {
        var site = await _host.NewSiteAsync();
        var seeded = await site.SeedAsync(companies: 1, invoices: 5);
        var ids = seeded["invoices"]!.AsArray().Select(i => (int)i!).Order().ToArray();
        var forwardOnly = new Dictionary<string, string> { ["pagination-type"] = "forward-only" };

        var first = await site.SendAsync(HttpMethod.Get, "finance/invoices?pageSize=2&orderBy=total+desc", null, headers: forwardOnly);
        var second = await site.GetAsync($"finance/invoices?pageSize=2&pageId={ids[1]}");
        var last = await site.GetAsync($"finance/invoices?pageSize=2&pageId={ids[3]}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Rows.Select(r => (int)r!["id"]!), Is.EqualTo(ids[..2]), "forward-only reads in id order");
            Assert.That(first.Header("pagination-type"), Is.EqualTo("forward-only"));
            Assert.That(first.Header("Link"), Does.Contain($"pageSize=2&pageId={ids[1]}>; rel=\"next\""));
            Assert.That(second.Rows.Select(r => (int)r!["id"]!), Is.EqualTo(ids[2..4]));
            Assert.That(second.Header("pagination-type"), Is.EqualTo("forward-only"));
            Assert.That(last.Rows.Select(r => (int)r!["id"]!), Is.EqualTo(ids[4..]));
            Assert.That(last.Header("Link"), Is.Null);
        }
    }

    [Test]
    public async Task Count_honors_conditions()
    {
        var (site, first, second) = await SiteWithTwoCompaniesAsync();
        await site.NewInvoiceAsync(first, 10m, statusId: 2);
        await site.NewInvoiceAsync(first, 20m, statusId: 2);
        await site.NewInvoiceAsync(second, 30m);

        var all = await site.ReadAsync("finance/invoices/count");
        var sent = await site.ReadAsync("finance/invoices/count?conditions=" + ConnectWiseTestClient.AxiosEncode("status/name=\"Sent\""));
        var companies = await site.ReadAsync("company/companies/count");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)all["count"]!, Is.EqualTo(3));
            Assert.That((int)sent["count"]!, Is.EqualTo(2));
            Assert.That((int)companies["count"]!, Is.EqualTo(2));
        }
    }

    // ---------------------------------------------------------------- invoices, payments, status

    [Test]
    public async Task An_invoice_has_ConnectWise_shape_and_balance_is_total_minus_payments_minus_credits()
    {
        var (site, company, _) = await SiteWithTwoCompaniesAsync();
        var created = await site.NewInvoiceAsync(company, 100.00m, "INV-1001", "2024-03-01T00:00:00Z");
        var invoice = await site.ReadAsync($"finance/invoices/{Id(created)}");
        var missing = await site.GetAsync("finance/invoices/424242");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)invoice["invoiceNumber"]!, Is.EqualTo("INV-1001"));
            Assert.That((string)invoice["type"]!, Is.EqualTo("Standard"));
            Assert.That((int)invoice["status"]!["id"]!, Is.EqualTo(1));
            Assert.That((string)invoice["status"]!["name"]!, Is.EqualTo("New"));
            Assert.That((string)invoice["status"]!["_info"]!["status_href"]!, Does.EndWith("/v4_6_release/apis/3.0/finance/billingStatuses/1"));
            Assert.That((int)invoice["company"]!["id"]!, Is.EqualTo(company));
            Assert.That((string)invoice["company"]!["identifier"]!, Is.Not.Empty);
            Assert.That((int)invoice["billToCompany"]!["id"]!, Is.EqualTo(company));
            Assert.That((string)invoice["date"]!, Is.EqualTo("2024-03-01T00:00:00Z"));
            Assert.That((string)invoice["dueDate"]!, Is.EqualTo("2024-03-31T00:00:00Z"));
            Assert.That((string)invoice["currency"]!["currencyCode"]!, Is.EqualTo("USD"));
            Assert.That((string)invoice["currency"]!["symbol"]!, Is.EqualTo("$"));
            Assert.That((decimal)invoice["total"]!, Is.EqualTo(100.00m));
            Assert.That((decimal)invoice["subtotal"]!, Is.EqualTo(100.00m));
            Assert.That((decimal)invoice["payments"]!, Is.Zero);
            Assert.That((decimal)invoice["credits"]!, Is.Zero);
            Assert.That((decimal)invoice["balance"]!, Is.EqualTo(100.00m));
            Assert.That((string)invoice["_info"]!["lastUpdated"]!, Does.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"));
            Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((string)missing.Json["code"]!, Is.EqualTo("NotFound"));
        }
    }

    [Test]
    public async Task A_payment_reduces_the_balance_an_overpayment_is_refused_and_deleting_it_restores_the_balance()
    {
        var (site, company, _) = await SiteWithTwoCompaniesAsync();
        var invoice = await site.NewInvoiceAsync(company, 100.00m);
        var path = $"finance/invoices/{Id(invoice)}/payments";

        var posted = await site.PostAsync(path, JsonNode.Parse("""{"amount":25.10,"paymentDate":"2024-03-01T00:00:00Z","type":"Payment"}""")!);
        var afterPayment = await site.ReadAsync($"finance/invoices/{Id(invoice)}");
        var over = await site.PostAsync(path, new JsonObject { ["amount"] = 74.91m, ["type"] = "Payment" });
        var zero = await site.PostAsync(path, new JsonObject { ["amount"] = 0 });
        var list = await site.ListAsync(path);
        var paymentId = (int)posted.Json["id"]!;
        var one = await site.ReadAsync($"{path}/{paymentId}");
        var deleted = await site.DeleteAsync($"{path}/{paymentId}");
        var afterDelete = await site.ReadAsync($"finance/invoices/{Id(invoice)}");
        var books = await site.BooksAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(posted.Status, Is.EqualTo(HttpStatusCode.Created), posted.ToString());
            Assert.That((decimal)posted.Json["amount"]!, Is.EqualTo(25.10m));
            Assert.That((int)posted.Json["invoice"]!["id"]!, Is.EqualTo(Id(invoice)));
            Assert.That((string)posted.Json["paymentDate"]!, Is.EqualTo("2024-03-01T00:00:00Z"));
            Assert.That((decimal)afterPayment["payments"]!, Is.EqualTo(25.10m));
            Assert.That((decimal)afterPayment["balance"]!, Is.EqualTo(74.90m));
            Assert.That(over.Status, Is.EqualTo(HttpStatusCode.BadRequest), over.ToString());
            Assert.That((string)over.Json["errors"]![0]!["field"]!, Is.EqualTo("amount"));
            Assert.That((string)over.Json["errors"]![0]!["resource"]!, Is.EqualTo("payment"));
            Assert.That(zero.Status, Is.EqualTo(HttpStatusCode.BadRequest), zero.ToString());
            Assert.That(list.Select(p => (int)p!["id"]!), Is.EqualTo(new[] { paymentId }));
            Assert.That((decimal)one["amount"]!, Is.EqualTo(25.10m));
            Assert.That(deleted.Status, Is.EqualTo(HttpStatusCode.NoContent), deleted.ToString());
            Assert.That((decimal)afterDelete["payments"]!, Is.Zero);
            Assert.That((decimal)afterDelete["balance"]!, Is.EqualTo(100.00m));
            Assert.That(books["payments"]!.AsArray(), Is.Empty);
            Assert.That((decimal)books["invoices"]![0]!["balance"]!, Is.EqualTo(100.00m));
        }
    }

    [Test]
    public async Task Patching_the_status_to_Closed_closes_the_invoice_and_an_unknown_status_is_a_400()
    {
        var (site, company, _) = await SiteWithTwoCompaniesAsync();
        var invoice = await site.NewInvoiceAsync(company, 40m);
        var closed = await site.PatchAsync($"finance/invoices/{Id(invoice)}",
            JsonNode.Parse("""[{"op":"replace","path":"status","value":{"id":3}}]""")!);
        var unknown = await site.PatchAsync($"finance/invoices/{Id(invoice)}",
            JsonNode.Parse("""[{"op":"replace","path":"status","value":{"id":99}}]""")!);
        var notPatchable = await site.PatchAsync($"finance/invoices/{Id(invoice)}",
            JsonNode.Parse("""[{"op":"replace","path":"balance","value":0}]""")!);
        var books = await site.BooksAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(closed.Status, Is.EqualTo(HttpStatusCode.OK), closed.ToString());
            Assert.That((string)closed.Json["status"]!["name"]!, Is.EqualTo("Closed"));
            Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.BadRequest), unknown.ToString());
            Assert.That((string)unknown.Json["errors"]![0]!["field"]!, Is.EqualTo("status"));
            Assert.That(notPatchable.Status, Is.EqualTo(HttpStatusCode.BadRequest), notPatchable.ToString());
            Assert.That((bool)books["invoices"]![0]!["closed"]!, Is.True);
            Assert.That((string)books["invoices"]![0]!["statusName"]!, Is.EqualTo("Closed"));
            Assert.That((int)books["invoices"]![0]!["statusId"]!, Is.EqualTo(3));
        }
    }

    [Test]
    public async Task Malformed_json_wrong_types_unknown_and_missing_fields_are_400s_in_the_ConnectWise_body()
    {
        var (site, company, _) = await SiteWithTwoCompaniesAsync();
        var invoice = await site.NewInvoiceAsync(company, 40m);
        var path = $"finance/invoices/{Id(invoice)}/payments";

        var malformed = await site.SendAsync(HttpMethod.Post, path, "{\"amount\": 10,");
        var wrongType = await site.PostAsync(path, new JsonObject { ["amount"] = "ten" });
        var unknown = await site.PostAsync(path, new JsonObject { ["amount"] = 10, ["colour"] = "blue" });
        var missing = await site.PostAsync(path, new JsonObject { ["type"] = "Payment" });
        var invoiceMissingCompany = await site.PostAsync("finance/invoices", new JsonObject { ["type"] = "Standard", ["total"] = 5 });
        var callbackMissingUrl = await site.PostAsync("system/callbacks", new JsonObject { ["objectId"] = 1, ["type"] = "Invoice", ["level"] = "Owner" });

        foreach (var reply in new[] { malformed, wrongType, unknown, missing, invoiceMissingCompany, callbackMissingUrl })
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest), reply.ToString());
            AssertErrorBody(reply);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)wrongType.Json["errors"]![0]!["field"]!, Is.EqualTo("amount"));
            Assert.That((string)unknown.Json["errors"]![0]!["field"]!, Is.EqualTo("colour"));
            Assert.That((string)missing.Json["errors"]![0]!["code"]!, Is.EqualTo("NullValue"));
            Assert.That((string)invoiceMissingCompany.Json["errors"]![0]!["field"]!, Is.EqualTo("company"));
            Assert.That((string)callbackMissingUrl.Json["errors"]![0]!["field"]!, Is.EqualTo("url"));
            Assert.That((decimal)(await site.ReadAsync($"finance/invoices/{Id(invoice)}"))["balance"]!, Is.EqualTo(40m), "nothing was applied");
        }
    }

    [Test]
    public async Task Ten_parallel_payments_on_one_invoice_lose_no_write()
    {
        var (site, company, _) = await SiteWithTwoCompaniesAsync();
        var invoice = await site.NewInvoiceAsync(company, 1000.00m);
        var path = $"finance/invoices/{Id(invoice)}/payments";

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            site.PostAsync(path, new JsonObject { ["amount"] = 150.00m + i, ["type"] = "Payment" })));
        var after = await site.ReadAsync($"finance/invoices/{Id(invoice)}");
        var books = await site.BooksAsync();

        var succeeded = replies.Where(r => r.Status == HttpStatusCode.Created).Select(r => (decimal)r.Json["amount"]!).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replies.All(r => r.Status is HttpStatusCode.Created or HttpStatusCode.BadRequest), Is.True, string.Join("\n", replies.Select(r => r.ToString())));
            Assert.That(succeeded, Has.Count.InRange(5, 6), "1000.00 covers five or six of 150.00..159.00");
            Assert.That(1000.00m - (decimal)after["balance"]!, Is.EqualTo(succeeded.Sum()));
            Assert.That((decimal)after["payments"]!, Is.EqualTo(succeeded.Sum()));
            Assert.That(books["payments"]!.AsArray().Sum(p => (decimal)p!["amount"]!), Is.EqualTo(succeeded.Sum()));
            Assert.That(books["invoices"]![0]!["paymentIds"]!.AsArray(), Has.Count.EqualTo(succeeded.Count));
            Assert.That((decimal)after["balance"]!, Is.GreaterThanOrEqualTo(0m));
        }
    }

    // ---------------------------------------------------------------- callbacks

    [Test]
    public async Task Registered_callbacks_receive_the_summarized_payload_when_an_invoice_changes()
    {
        var (site, company, _) = await SiteWithTwoCompaniesAsync();
        var name = "cb" + Guid.NewGuid().ToString("N");
        var registered = await site.PostAsync("system/callbacks", new JsonObject
        {
            ["url"] = new Uri(_host.BaseAddress, "/test/callbacks/" + name).ToString(),
            ["objectId"] = 1,
            ["type"] = "Invoice",
            ["level"] = "Owner",
            ["description"] = "inv",
        });
        Assert.That(registered.Status, Is.EqualTo(HttpStatusCode.Created), registered.ToString());
        var listed = await site.ListAsync("system/callbacks");

        var added = _host.Callbacks.WaitForAsync(c => c.Name == name && (string?)c.Payload["Action"] == "added");
        var invoice = await site.NewInvoiceAsync(company, 80m);
        var addedCallback = await added;

        var paid = _host.Callbacks.WaitForAsync(c => c.Name == name && (string?)c.Payload["Action"] == "updated"
            && (decimal)JsonNode.Parse((string)c.Payload["Entity"]!)!["payments"]! == 30m);
        var payment = await site.PostAsync($"finance/invoices/{Id(invoice)}/payments", new JsonObject { ["amount"] = 30m });
        Assert.That(payment.Status, Is.EqualTo(HttpStatusCode.Created), payment.ToString());
        var paidCallback = await paid;

        var closed = _host.Callbacks.WaitForAsync(c => c.Name == name
            && (string?)JsonNode.Parse((string)c.Payload["Entity"]!)!["status"]!["name"] == "Closed");
        await site.PatchAsync($"finance/invoices/{Id(invoice)}", JsonNode.Parse("""[{"op":"replace","path":"status","value":{"id":3}}]""")!);
        await closed;

        var entity = JsonNode.Parse((string)paidCallback.Payload["Entity"]!)!;
        var keyUrl = new Uri((string)paidCallback.Payload["Metadata"]!["key_url"]!);
        using var keyResponse = await _host.Http.GetAsync(keyUrl);
        var signingKey = (string)JsonNode.Parse(await keyResponse.Content.ReadAsStringAsync())!["signing_key"]!;
        var expectedSignature = Convert.ToBase64String(HMACSHA256.HashData(
            SHA256.HashData(Encoding.UTF8.GetBytes(signingKey)), Encoding.UTF8.GetBytes(paidCallback.RawBody)));

        var deleted = await site.DeleteAsync($"system/callbacks/{(int)registered.Json["id"]!}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)registered.Json["type"]!, Is.EqualTo("Invoice"));
            Assert.That((bool)registered.Json["inactiveFlag"]!, Is.False);
            Assert.That(listed, Has.Count.EqualTo(1));
            Assert.That((int)addedCallback.Payload["ID"]!, Is.EqualTo(Id(invoice)));
            Assert.That((string)addedCallback.Payload["Type"]!, Is.EqualTo("invoice"));
            Assert.That((string)addedCallback.Payload["CompanyId"]!, Is.EqualTo(site.CompanyId));
            Assert.That((string)paidCallback.Payload["MemberId"]!, Is.EqualTo("apiuser"));
            Assert.That((decimal)entity["balance"]!, Is.EqualTo(50m));
            Assert.That(paidCallback.Signature, Is.EqualTo(expectedSignature));
            Assert.That(deleted.Status, Is.EqualTo(HttpStatusCode.NoContent));
        }
    }

    // ---------------------------------------------------------------- rate limit

    [Test]
    public async Task Beyond_the_rate_limit_a_site_gets_429_with_Retry_After_until_the_window_passes()
    {
        var site = await _host.NewSiteAsync(requestsPerMinute: 3);
        for (var i = 0; i < 3; i++)
        {
            var ok = await site.GetAsync("finance/billingStatuses");
            Assert.That(ok.Status, Is.EqualTo(HttpStatusCode.OK), ok.ToString());
        }

        var throttled = await site.GetAsync("finance/billingStatuses");
        _host.Clock.Advance(TimeSpan.FromSeconds(61));
        var again = await site.GetAsync("finance/billingStatuses");
        var books = await site.BooksAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(throttled.Status, Is.EqualTo(HttpStatusCode.TooManyRequests), throttled.ToString());
            Assert.That(int.Parse(throttled.Header("Retry-After")!, CultureInfo.InvariantCulture), Is.InRange(1, 60));
            Assert.That(again.Status, Is.EqualTo(HttpStatusCode.OK), again.ToString());
            Assert.That((int)books["throttledCount"]!, Is.EqualTo(1));
            Assert.That((int)books["requestCount"]!, Is.EqualTo(5));
        }

        AssertErrorBody(throttled);
    }

    // ---------------------------------------------------------------- companies, contacts, seed

    [Test]
    public async Task Seeded_companies_have_contacts_with_one_billing_contact_with_an_email()
    {
        var site = await _host.NewSiteAsync();
        var seeded = await site.SeedAsync(companies: 4, invoices: 6);
        var companyIds = seeded["companies"]!.AsArray().Select(c => (int)c!).ToArray();

        foreach (var companyId in companyIds)
        {
            var company = await site.ReadAsync($"company/companies/{companyId}");
            var contacts = await site.ListAsync("company/contacts", $"company/id={companyId}");
            var billing = contacts.Where(c => (bool)c!["defaultBillingFlag"]!).ToList();
            using (Assert.EnterMultipleScope())
            {
                Assert.That((string)company["identifier"]!, Has.Length.InRange(1, 25));
                Assert.That(contacts, Has.Count.InRange(1, 3));
                Assert.That(contacts.Count(c => (bool)c!["defaultFlag"]!), Is.EqualTo(1));
                Assert.That(billing, Has.Count.EqualTo(1));
                Assert.That(billing[0]!["communicationItems"]!.AsArray().Any(i =>
                    (string?)i!["communicationType"] == "Email" && (string?)i["type"]!["name"] == "Email" && ((string?)i["value"])!.Contains('@', StringComparison.Ordinal)), Is.True);
                Assert.That((int)company["billingContact"]!["id"]!, Is.EqualTo((int)billing[0]!["id"]!));
            }
        }

        var byEmail = await site.ListAsync("company/contacts", "communicationItems/communicationType = \"Email\" and defaultBillingFlag = true");
        var invoices = await site.ListAsync("finance/invoices");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(byEmail, Has.Count.EqualTo(4));
            Assert.That(invoices, Has.Count.EqualTo(6));
            Assert.That(invoices.All(i => (decimal)i!["total"]! == decimal.Round((decimal)i["total"]!, 2) && (decimal)i["total"]! > 0), Is.True);
            Assert.That(invoices.All(i => (decimal)i!["total"]! == (decimal)i["subtotal"]! + (decimal)i["salesTax"]!), Is.True);
            Assert.That(invoices.All(i => (string?)i!["status"]!["name"] is "New" or "Sent"), Is.True, "seeded invoices are open");
        }
    }

    [Test]
    public async Task The_same_seed_gives_the_same_companies_and_amounts()
    {
        var one = await _host.NewSiteAsync();
        var two = await _host.NewSiteAsync();
        await one.SeedAsync(companies: 3, invoices: 5, seed: 7);
        await two.SeedAsync(companies: 3, invoices: 5, seed: 7);

        static string[] Summary(JsonArray invoices) =>
            [.. invoices.Select(i => $"{i!["company"]!["name"]}|{i["total"]}|{i["salesTax"]}|{i["date"]}")];

        var first = await one.ListAsync("finance/invoices");
        var second = await two.ListAsync("finance/invoices");
        Assert.That(Summary(second), Is.EqualTo(Summary(first)));
    }

    // ---------------------------------------------------------------- helpers

    private async Task<(ConnectWiseTestClient Site, int First, int Second)> SiteWithTwoCompaniesAsync()
    {
        var site = await _host.NewSiteAsync();
        var seeded = await site.SeedAsync(companies: 2, invoices: 0);
        var ids = seeded["companies"]!.AsArray().Select(c => (int)c!).ToArray();
        return (site, ids[0], ids[1]);
    }

    private static int Id(JsonNode invoice) => (int)invoice["id"]!;

    private static void AssertErrorBody(ConnectWiseReply reply)
    {
        var json = reply.Json.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)json["code"], Is.Not.Null.And.Not.Empty, reply.ToString());
            Assert.That((string?)json["message"], Is.Not.Null.And.Not.Empty, reply.ToString());
            Assert.That(json.Select(p => p.Key), Is.SubsetOf(ErrorBodyKeys), reply.ToString());
        }
    }
}
