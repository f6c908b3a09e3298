using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// Contract tests of the Xero Accounting API simulator over real HTTP: authentication, organisations keyed by
/// <c>xero-tenant-id</c>, the admin API, accounts and contacts. Each test works in its own organisation.
/// </summary>
[TestFixture]
public sealed class XeroSimulatorTests : XeroFixture
{
    [Test]
    public async Task A_call_without_a_known_bearer_token_gets_401_in_Xeros_problem_shape()
    {
        var client = new XeroTestClient(Host.Http, XeroSandboxHost.DefaultTenant, XeroSandboxHost.DefaultToken);
        var missing = await client.SendAsync(HttpMethod.Get, "Invoices", null, null, token: "");
        var unknown = await client.SendAsync(HttpMethod.Get, "Invoices", null, null, token: "not-a-token");

        foreach (var reply in new[] { missing, unknown })
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Unauthorized), reply.ToString());
                Assert.That(reply.Json["Title"]!.GetValue<string>(), Is.EqualTo("Unauthorized"));
                Assert.That(reply.Json["Status"]!.GetValue<int>(), Is.EqualTo(401));
                Assert.That(reply.Json["Detail"]!.GetValue<string>(), Is.EqualTo("AuthenticationUnsuccessful"));
                Assert.That(Guid.TryParse(reply.Json["Instance"]!.GetValue<string>(), out _), Is.True);
                Assert.That(reply.Json.AsObject().ContainsKey("Type"), Is.True);
            }
        }
    }

    [Test]
    public async Task An_expired_token_gets_401_TokenExpired_while_a_new_token_connected_to_the_organisation_works()
    {
        var client = await Host.NewOrganisationAsync();
        var before = await client.GetAsync("Invoices");
        await Host.AdminAsync(HttpMethod.Post, "/admin/xero/tokens/expire", new JsonObject { ["accessToken"] = client.AccessToken }, HttpStatusCode.NoContent);
        var expired = await client.GetAsync("Invoices");
        await Host.AdminAsync(HttpMethod.Post, client.Admin + "/connections", new JsonObject { ["accessToken"] = "refreshed-" + client.AccessToken }, HttpStatusCode.NoContent);
        var refreshed = await client.SendAsync(HttpMethod.Get, "Invoices", null, null, token: "refreshed-" + client.AccessToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(expired.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(expired.Json["Detail"]!.GetValue<string>(), Does.StartWith("TokenExpired: token expired at "));
            Assert.That(refreshed.Status, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task A_tenant_the_token_is_not_connected_to_gets_403_until_connected_and_again_after_disconnecting()
    {
        var first = await Host.NewOrganisationAsync();
        var second = await Host.NewOrganisationAsync();
        var noTenant = await first.SendAsync(HttpMethod.Get, "Accounts", null, null, tenant: "");
        var notAGuid = await first.SendAsync(HttpMethod.Get, "Accounts", null, null, tenant: "realm-1");
        var otherOrganisation = await first.SendAsync(HttpMethod.Get, "Accounts", null, null, tenant: second.TenantId);

        await Host.AdminAsync(HttpMethod.Post, second.Admin + "/connections", new JsonObject { ["accessToken"] = first.AccessToken }, HttpStatusCode.NoContent);
        var connected = await first.SendAsync(HttpMethod.Get, "Accounts", null, null, tenant: second.TenantId);
        await Host.AdminAsync(HttpMethod.Delete, second.Admin + "/connections", new JsonObject { ["accessToken"] = first.AccessToken }, HttpStatusCode.NoContent);
        var disconnected = await first.SendAsync(HttpMethod.Get, "Accounts", null, null, tenant: second.TenantId);

        using (Assert.EnterMultipleScope())
        {
            foreach (var reply in new[] { noTenant, notAGuid, otherOrganisation, disconnected })
            {
                Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Forbidden), reply.ToString());
                Assert.That(reply.Json["Title"]!.GetValue<string>(), Is.EqualTo("Forbidden"));
                Assert.That(reply.Json["Detail"]!.GetValue<string>(), Is.EqualTo("AuthenticationUnsuccessful"));
            }

            Assert.That(connected.Status, Is.EqualTo(HttpStatusCode.OK), connected.ToString());
        }
    }

    [Test]
    public async Task The_default_organisation_has_a_bank_a_payments_enabled_clearing_a_revenue_and_an_expense_account()
    {
        var client = new XeroTestClient(Host.Http, XeroSandboxHost.DefaultTenant, XeroSandboxHost.DefaultToken);
        var reply = await client.GetAsync("Accounts");
        var accounts = reply.Json["Accounts"]!.AsArray().ToDictionary(a => a!["Code"]!.GetValue<string>(), a => a!);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Json["Status"]!.GetValue<string>(), Is.EqualTo("OK"));
            Assert.That(reply.Json["DateTimeUTC"]!.GetValue<string>(), Does.Match(@"^/Date\(\d+\+0000\)/$"));
            Assert.That(accounts.Keys, Is.EqualTo(new[] { "090", "092", "200", "404" }));
            Assert.That(accounts["090"]["Type"]!.GetValue<string>(), Is.EqualTo("BANK"));
            Assert.That(accounts["090"]["BankAccountType"]!.GetValue<string>(), Is.EqualTo("BANK"));
            Assert.That(accounts["092"]["Type"]!.GetValue<string>(), Is.EqualTo("CURRENT"));
            Assert.That(accounts["092"]["EnablePaymentsToAccount"]!.GetValue<bool>(), Is.True);
            Assert.That(accounts["200"]["Type"]!.GetValue<string>(), Is.EqualTo("REVENUE"));
            Assert.That(accounts["200"]["Class"]!.GetValue<string>(), Is.EqualTo("REVENUE"));
            Assert.That(accounts["404"]["Type"]!.GetValue<string>(), Is.EqualTo("EXPENSE"));
            Assert.That(accounts["404"]["EnablePaymentsToAccount"]!.GetValue<bool>(), Is.False);
        }
    }

    [Test]
    public async Task Seeded_contacts_come_back_with_their_email_and_contact_persons_in_Xeros_shape()
    {
        var client = await Host.NewOrganisationAsync();
        var persons = new JsonArray(
            new JsonObject { ["firstName"] = "Ana", ["lastName"] = "Pay", ["emailAddress"] = "ap@acme.test", ["includeInEmails"] = true },
            new JsonObject { ["firstName"] = "Bo", ["emailAddress"] = "bo@acme.test" });
        var contactId = await client.AddContactAsync(Host, "Acme Ltd", "billing@acme.test", persons);
        await client.AddInvoiceAsync(Host, contactId, 10m);

        var contact = (await client.ListAsync($"Contacts/{contactId}", "Contacts")).Single()!;
        var people = contact["ContactPersons"]!.AsArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(contact["ContactID"]!.GetValue<string>(), Is.EqualTo(contactId));
            Assert.That(contact["Name"]!.GetValue<string>(), Is.EqualTo("Acme Ltd"));
            Assert.That(contact["EmailAddress"]!.GetValue<string>(), Is.EqualTo("billing@acme.test"));
            Assert.That(contact["ContactStatus"]!.GetValue<string>(), Is.EqualTo("ACTIVE"));
            Assert.That(contact["IsCustomer"]!.GetValue<bool>(), Is.True);
            Assert.That(contact["UpdatedDateUTC"]!.GetValue<string>(), Does.Match(@"^/Date\(\d+\+0000\)/$"));
            Assert.That(people, Has.Count.EqualTo(2));
            Assert.That(people[0]!["EmailAddress"]!.GetValue<string>(), Is.EqualTo("ap@acme.test"));
            Assert.That(people[0]!["IncludeInEmails"]!.GetValue<bool>(), Is.True);
            Assert.That(people[1]!["IncludeInEmails"]!.GetValue<bool>(), Is.False);
        }
    }

    [Test]
    public async Task Contacts_page_by_100_and_filter_by_where_and_searchTerm()
    {
        var client = await Host.NewOrganisationAsync();
        for (var i = 0; i < 105; i++)
        {
            await client.AddContactAsync(Host, $"Customer {i:D3}", $"c{i:D3}@example.test");
        }

        var first = await client.GetAsync("Contacts?page=1");
        var second = await client.GetAsync("Contacts?page=2");
        var byEmail = await client.ListAsync("Contacts?where=" + Uri.EscapeDataString("EmailAddress==\"C042@EXAMPLE.TEST\""), "Contacts");
        var bySearch = await client.ListAsync("Contacts?searchTerm=customer%2010", "Contacts");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Json["Contacts"]!.AsArray(), Has.Count.EqualTo(100));
            Assert.That(second.Json["Contacts"]!.AsArray(), Has.Count.EqualTo(5));
            Assert.That(second.Json["pagination"]!["pageCount"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(second.Json["pagination"]!["itemCount"]!.GetValue<int>(), Is.EqualTo(105));
            Assert.That(byEmail.Select(c => c!["Name"]!.GetValue<string>()), Is.EqualTo(new[] { "Customer 042" }));
            Assert.That(bySearch.Select(c => c!["Name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "Customer 100", "Customer 101", "Customer 102", "Customer 103", "Customer 104" }));
        }
    }

    [Test]
    public async Task The_admin_API_refuses_bad_seeds_and_reports_the_books()
    {
        var client = await Host.NewOrganisationAsync(new JsonObject { ["name"] = "Books Ltd", ["baseCurrency"] = "gbp" });
        var contactId = await client.AddContactAsync(Host, "Acme");
        await Host.AdminAsync(HttpMethod.Post, client.Admin + "/invoices", new JsonObject { ["contactId"] = Guid.NewGuid().ToString(), ["amount"] = 5 }, HttpStatusCode.BadRequest);
        await Host.AdminAsync(HttpMethod.Post, client.Admin + "/accounts", new JsonObject { ["code"] = "900", ["name"] = "X", ["type"] = "MAGIC" }, HttpStatusCode.BadRequest);
        await Host.AdminAsync(HttpMethod.Post, client.Admin + "/accounts", new JsonObject { ["code"] = "090", ["name"] = "Again", ["type"] = "BANK" }, HttpStatusCode.BadRequest);
        await Host.AdminAsync(HttpMethod.Post, client.Admin + "/contacts", new JsonObject { ["name"] = new string('n', 256) }, HttpStatusCode.BadRequest);
        await Host.AdminAsync(HttpMethod.Post, "/admin/xero/organisations", new JsonObject { ["tenantId"] = client.TenantId }, HttpStatusCode.Conflict);
        await Host.AdminAsync(HttpMethod.Post, client.Admin + "/accounts",
            new JsonObject { ["code"] = "093", ["name"] = "Stripe Clearing", ["type"] = "currliab", ["enablePaymentsToAccount"] = true }, HttpStatusCode.Created);
        var (invoiceId, number) = await client.AddInvoiceAsync(Host, contactId, 120.50m);

        var books = await Host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(books["name"]!.GetValue<string>(), Is.EqualTo("Books Ltd"));
            Assert.That(books["baseCurrency"]!.GetValue<string>(), Is.EqualTo("GBP"));
            Assert.That(books["invoices"]![0]!["invoiceId"]!.GetValue<string>(), Is.EqualTo(invoiceId));
            Assert.That(books["invoices"]![0]!["invoiceNumber"]!.GetValue<string>(), Is.EqualTo(number).And.EqualTo("INV-0001"));
            Assert.That(books["invoices"]![0]!["amountDue"]!.GetValue<decimal>(), Is.EqualTo(120.50m));
            Assert.That(books["accounts"]!.AsArray().Select(a => a!["code"]!.GetValue<string>()), Does.Contain("093"));
            Assert.That(books["accounts"]!.AsArray().Single(a => a!["code"]!.GetValue<string>() == "200")!["balance"]!.GetValue<decimal>(), Is.EqualTo(120.50m));
            Assert.That(books["contacts"]!.AsArray(), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task A_bulk_seed_is_deterministic_for_its_seed_and_bounded()
    {
        var first = await Host.NewOrganisationAsync();
        var second = await Host.NewOrganisationAsync();
        var seed = new JsonObject { ["contacts"] = 20, ["invoices"] = 250, ["seed"] = 7 };
        var a = await Host.AdminAsync(HttpMethod.Post, first.Admin + "/seed", seed);
        var b = await Host.AdminAsync(HttpMethod.Post, second.Admin + "/seed", seed.DeepClone());
        await Host.AdminAsync(HttpMethod.Post, first.Admin + "/seed", new JsonObject { ["invoices"] = 100_001 }, HttpStatusCode.BadRequest);
        var page = await first.GetAsync("Invoices?page=3");
        var contacts = await first.ListAsync("Contacts?page=1", "Contacts");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(a["invoices"]!.GetValue<int>(), Is.EqualTo(250));
            Assert.That(a["total"]!.GetValue<decimal>(), Is.EqualTo(b["total"]!.GetValue<decimal>()));
            Assert.That(page.Json["Invoices"]!.AsArray(), Has.Count.EqualTo(50));
            Assert.That(page.Json["Invoices"]!.AsArray().Select(i => i!["Status"]!.GetValue<string>()), Is.All.EqualTo("AUTHORISED"));
            Assert.That(contacts, Has.Count.EqualTo(20));
            Assert.That(contacts[0]!["ContactPersons"]![0]!["IncludeInEmails"]!.GetValue<bool>(), Is.True);
        }
    }
}
