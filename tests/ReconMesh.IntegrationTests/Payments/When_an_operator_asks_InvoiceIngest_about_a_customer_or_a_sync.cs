using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// What InvoiceIngest tells the operator console: a customer's invoices, found by part of the customer's name in any case
/// or by the integration's id of them (bounded like every id); and, for each connection, how many invoices it has synced
/// and the rate-limit budget its calls are paced to.
/// </summary>
[TestFixture]
public sealed class When_an_operator_asks_InvoiceIngest_about_a_customer_or_a_sync
{
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await PaymentScenarioHarness.StartAsync(invoices: 6);

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    private Task<List<JsonElement>?> InvoicesAsync(string query) =>
        _mesh.InvoiceIngest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_mesh.Tenant}/invoices?{query}");

    [Test]
    public async Task A_customers_invoices_are_found_by_part_of_the_name_in_any_case_or_by_the_id()
    {
        var invoice = await _mesh.TakeInvoiceAsync();

        var byName = await InvoicesAsync($"customer={Uri.EscapeDataString(invoice.CustomerName[1..^1].ToUpperInvariant())}");
        var byId = await InvoicesAsync($"customer={Uri.EscapeDataString(invoice.CustomerExternalId)}");
        var nobody = await InvoicesAsync("customer=nobody-has-this-name");

        Assert.That(byName!.Select(i => i.GetProperty("invoiceId").GetGuid()), Does.Contain(invoice.InvoiceId));
        Assert.That(byName!.Select(i => i.GetProperty("customerName").GetString()),
            Is.All.Contains(invoice.CustomerName[1..^1]).IgnoreCase);
        Assert.That(byId!.Select(i => i.GetProperty("invoiceId").GetGuid()), Does.Contain(invoice.InvoiceId));
        Assert.That(byId!.Where(i => i.GetProperty("customerExternalId").GetString() != invoice.CustomerExternalId)
            .Select(i => i.GetProperty("customerName").GetString()), Is.All.Contains(invoice.CustomerExternalId).IgnoreCase,
            "another customer only when the id is part of their name");
        Assert.That(nobody, Is.Empty);
    }

    [TestCase(101)]
    [TestCase(0)]
    public async Task A_customer_out_of_bounds_is_refused_with_its_reason(int length)
    {
        var customer = length == 0 ? "%01" : new string('c', length);
        using var response = await _mesh.InvoiceIngest.GetAsync($"/tenants/{_mesh.Tenant}/invoices?customer={customer}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").GetProperty("customer")[0].GetString(), Does.Contain("1 to 100 printable characters"));
    }

    [Test]
    public async Task A_connection_says_how_many_invoices_it_synced_and_the_budget_its_calls_are_paced_to()
    {
        var invoices = await InvoicesAsync("pageSize=1000");
        var connections = await _mesh.InvoiceIngest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_mesh.Tenant}/connections");

        var connection = connections!.Single();
        Assert.That(connection.GetProperty("invoicesSynced").GetInt32(), Is.EqualTo(invoices!.Count).And.GreaterThan(0));
        var limit = connection.GetProperty("rateLimit");
        Assert.That((limit.GetProperty("requestsPerMinute").GetInt32(), limit.GetProperty("maxConcurrent").GetInt32(), limit.GetProperty("source").GetString()),
            Is.EqualTo((0, 0, "connection")), "the tests' connection is set unpaced");
    }
}
