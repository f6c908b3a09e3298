using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// The Autotask simulator's zone look-up, credentials, reads by id and the invoice update rules: invoices cannot be
/// created over the API, and an update may set only invoiceNumber, webServiceDate and paidDate.
/// </summary>
[TestFixture]
public sealed class AutotaskSimulatorTests
{
    private AutotaskSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await AutotaskSandboxHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task The_zone_look_up_answers_the_sandbox_as_the_zone_and_500_for_an_unknown_user()
    {
        var client = await _host.NewDatabaseAsync();
        using var known = await _host.Http.GetAsync(new Uri($"/atservicesrest/v1.0/zoneInformation?user={Uri.EscapeDataString(client.UserName)}", UriKind.Relative));
        var zone = JsonNode.Parse(await known.Content.ReadAsStringAsync())!;
        using var unknown = await _host.Http.GetAsync(new Uri("/ATServicesRest/V1.0/ZoneInformation?user=nobody%40nowhere.test", UriKind.Relative));
        var refused = new AutotaskReply(unknown.StatusCode, await unknown.Content.ReadAsStringAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(known.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(zone["url"]!.GetValue<string>(), Is.EqualTo(new Uri(_host.Http.BaseAddress!, "/ATServicesRest/").ToString()));
            Assert.That(zone["zoneName"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(zone["webUrl"], Is.Not.Null);
            Assert.That(zone["ci"]!.GetValue<int>(), Is.Positive);
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(refused.Errors, Is.EqualTo(new[] { "Zone information could not be determined" }));
        }
    }

    [Test]
    public async Task A_missing_or_wrong_credential_gets_an_empty_401_and_counts_nothing()
    {
        var client = await _host.NewDatabaseAsync();
        var replies = new[]
        {
            await client.SendAsync(HttpMethod.Get, "Companies/query/count?search=" + Uri.EscapeDataString("{\"filter\":[{\"op\":\"gt\",\"field\":\"id\",\"value\":0}]}"), null, user: ""),
            await client.SendAsync(HttpMethod.Get, "Companies/1", null, user: "someone@else.test"),
            await client.SendAsync(HttpMethod.Get, "Companies/1", null, secretOverride: "wrong"),
            await client.SendAsync(HttpMethod.Get, "Companies/1", null, secretOverride: ""),
            await client.SendAsync(HttpMethod.Get, "Companies/1", null, code: "NOTTHECODE"),
            await client.SendAsync(HttpMethod.Get, "Companies/1", null, code: ""),
        };
        var books = await client.BooksAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(replies.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(replies.Select(r => r.Body), Is.All.Empty);
            Assert.That(books["requests"]!.GetValue<long>(), Is.Zero);
        }
    }

    [Test]
    public async Task An_entity_by_id_is_an_item_and_a_missing_one_is_a_404()
    {
        var client = await _host.NewDatabaseAsync();
        var companyId = await client.AddCompanyAsync("Harbor Dental");
        var (invoiceId, number) = await client.AddInvoiceAsync(companyId, 1250.40m, date: "2026-11-30");

        var invoice = await client.GetAsync($"Invoices/{invoiceId}");
        var company = await client.GetAsync($"companies/{companyId}");
        var missing = await client.GetAsync("Invoices/12345");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(invoice.Status, Is.EqualTo(HttpStatusCode.OK));
            var item = invoice.Json["item"]!;
            Assert.That(item["id"]!.GetValue<long>(), Is.EqualTo(invoiceId));
            Assert.That(item["invoiceNumber"]!.GetValue<string>(), Is.EqualTo(number));
            Assert.That(item["companyID"]!.GetValue<long>(), Is.EqualTo(companyId));
            Assert.That(item["invoiceTotal"]!.GetValue<decimal>(), Is.EqualTo(1250.40m));
            Assert.That(item["invoiceDateTime"]!.GetValue<string>(), Is.EqualTo("2026-11-30T00:00:00Z"));
            Assert.That(item["dueDate"]!.GetValue<string>(), Is.EqualTo("2026-12-30T00:00:00Z"));
            Assert.That(item["isVoided"]!.GetValue<bool>(), Is.False);
            Assert.That(item.AsObject().ContainsKey("paidDate") && item["paidDate"] is null, Is.True);
            Assert.That(item.AsObject().ContainsKey("webServiceDate"), Is.True);
            Assert.That(company.Json["item"]!["companyName"]!.GetValue<string>(), Is.EqualTo("Harbor Dental"));
            Assert.That(company.Json["item"]!["userDefinedFields"]!.AsArray(), Is.Empty);
            Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test]
    public async Task Invoices_cannot_be_created_replaced_or_deleted_over_the_API()
    {
        var client = await _host.NewDatabaseAsync();
        var companyId = await client.AddCompanyAsync("Cedar Legal");
        var (invoiceId, _) = await client.AddInvoiceAsync(companyId, 10m);

        var create = await client.PostAsync("Invoices", new JsonObject { ["companyID"] = companyId, ["invoiceTotal"] = 10 });
        var replace = await client.SendAsync(HttpMethod.Put, "Invoices", new JsonObject { ["id"] = invoiceId }.ToJsonString());
        var delete = await client.SendAsync(HttpMethod.Delete, $"Invoices/{invoiceId}", null);
        var books = await client.BooksAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(create.Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(create.Json["Message"]!.GetValue<string>(), Is.EqualTo("The requested resource does not support http method 'POST'."));
            Assert.That(replace.Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(delete.Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(books["invoices"]!.AsArray(), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task An_update_sets_paidDate_as_a_date_webServiceDate_and_invoiceNumber_and_null_clears_a_date()
    {
        var client = await _host.NewDatabaseAsync();
        var (invoiceId, _) = await client.AddInvoiceAsync(await client.AddCompanyAsync("Summit Foods"), 99.95m);

        var update = await client.PatchAsync("Invoices", new JsonObject
        {
            ["id"] = invoiceId, ["paidDate"] = "2026-12-05T17:45:00", ["WebServiceDate"] = "2026-12-05T17:45:12.5Z", ["invoiceNumber"] = "INV-77",
        });
        var updated = (await client.GetAsync($"Invoices/{invoiceId}")).Json["item"]!;
        var clear = await client.PatchAsync("Invoices", new JsonObject { ["id"] = invoiceId, ["paidDate"] = null });
        var cleared = (await client.GetAsync($"Invoices/{invoiceId}")).Json["item"]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(update.Status, Is.EqualTo(HttpStatusCode.OK), update.ToString());
            Assert.That(update.Json["itemId"]!.GetValue<long>(), Is.EqualTo(invoiceId));
            Assert.That(updated["paidDate"]!.GetValue<string>(), Is.EqualTo("2026-12-05T00:00:00Z"), "paidDate keeps the date only");
            Assert.That(updated["webServiceDate"]!.GetValue<string>(), Is.EqualTo("2026-12-05T17:45:12.5Z"));
            Assert.That(updated["invoiceNumber"]!.GetValue<string>(), Is.EqualTo("INV-77"));
            Assert.That(clear.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(cleared["paidDate"], Is.Null);
            Assert.That(cleared["webServiceDate"]!.GetValue<string>(), Is.EqualTo("2026-12-05T17:45:12.5Z"));
        }
    }

    [TestCase("invoiceTotal", "1", "invoiceTotal")]
    [TestCase("isVoided", "true", "isVoided")]
    [TestCase("dueDate", "\"2027-01-01\"", "dueDate")]
    [TestCase("companyID", "1", "companyID")]
    [TestCase("amountPaid", "10", "amountPaid")]
    [TestCase("paidDate", "\"not a date\"", "paidDate")]
    public async Task An_update_of_any_other_field_is_refused_with_an_errors_body_and_changes_nothing(string field, string json, string named)
    {
        var client = await _host.NewDatabaseAsync();
        var (invoiceId, number) = await client.AddInvoiceAsync(await client.AddCompanyAsync("Granite Builders"), 500m);

        var body = JsonNode.Parse($"{{\"id\":{invoiceId},\"invoiceNumber\":\"CHANGED\",\"paidDate\":\"2026-12-01\",\"{field}\":{json}}}")!;
        var refused = await client.PatchAsync("Invoices", body);
        var after = (await client.GetAsync($"Invoices/{invoiceId}")).Json["item"]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.InternalServerError), refused.ToString());
            Assert.That(refused.Errors.Single(), Does.Contain(named));
            Assert.That(after["invoiceNumber"]!.GetValue<string>(), Is.EqualTo(number));
            Assert.That(after["paidDate"], Is.Null);
            Assert.That(after["invoiceTotal"]!.GetValue<decimal>(), Is.EqualTo(500m));
        }
    }

    [Test]
    public async Task An_update_without_an_id_or_of_an_unknown_invoice_is_refused()
    {
        var client = await _host.NewDatabaseAsync();

        var noId = await client.PatchAsync("Invoices", new JsonObject { ["paidDate"] = "2026-12-01" });
        var unknown = await client.PatchAsync("Invoices", new JsonObject { ["id"] = 42, ["paidDate"] = "2026-12-01" });
        var notJson = await client.SendAsync(HttpMethod.Patch, "Invoices", "{not json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(noId.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(noId.Errors, Has.Count.EqualTo(1));
            Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(unknown.Errors.Single(), Does.Contain("42"));
            Assert.That(notJson.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
        }
    }

    [Test]
    public async Task Paths_the_API_does_not_have_are_a_404()
    {
        var client = await _host.NewDatabaseAsync();

        var entity = await client.GetAsync("Payments/query?search=" + Uri.EscapeDataString("{\"filter\":[{\"op\":\"gt\",\"field\":\"id\",\"value\":0}]}"));
        var version = await client.SendAsync(HttpMethod.Get, new Uri(_host.Http.BaseAddress!, "/ATServicesRest/V2.0/Invoices/1").ToString(), null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entity.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(version.Status, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }
}
