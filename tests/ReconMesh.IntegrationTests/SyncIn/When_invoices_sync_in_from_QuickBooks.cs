using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.InvoiceIngest;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Sandbox;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// InvoiceIngest against the QuickBooks sandbox over HTTP, on a real PostgreSQL and RabbitMQ: the initial sync, and
/// changes made in QuickBooks by a person flowing in as soon as QuickBooks' webhook says something changed.
/// </summary>
[TestFixture]
public sealed class When_invoices_sync_in_from_QuickBooks
{
    private const string Realm = "9130000000000999";
    private const string Token = "sync-in-token";
    private const string Verifier = "sync-in-verifier";
    private const int SeededInvoices = 30;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static readonly JsonSerializerOptions QuickBooksJson = new();

    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid _connection = Guid.NewGuid();
    private TestServers _servers = null!;
    private WebApplication _sandboxHost = null!;
    private WebApplication _ingestHost = null!;
    private HttpClient _sandbox = null!;
    private HttpClient _qbo = null!;
    private HttpClient _ingest = null!;
    private IngestStore _store = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _sandboxHost = await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), new Dictionary<string, string?>());
        _sandbox = new HttpClient { BaseAddress = _sandboxHost.Address() };
        (await _sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token })).EnsureSuccessStatusCode();
        (await _sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 4, invoices = SeededInvoices, currency = "USD", seed = 11 }))
            .EnsureSuccessStatusCode();
        _qbo = new HttpClient { BaseAddress = new Uri(_sandboxHost.Address(), $"/v3/company/{Realm}/") };
        _qbo.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        _ingestHost = await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), new Dictionary<string, string?>
        {
            ["ReconMesh:RabbitMq"] = _servers.RabbitMqUrl,
            ["ReconMesh:Postgres"] = _servers.Postgres,
            ["ReconMesh:QuickBooks:WebhookVerifierToken"] = Verifier,
            ["ReconMesh:Connections:0:Id"] = _connection.ToString(),
            ["ReconMesh:Connections:0:TenantId"] = _tenant,
            ["ReconMesh:Connections:0:Kind"] = "QuickBooksOnline",
            ["ReconMesh:Connections:0:BaseUrl"] = _sandboxHost.Address().ToString(),
            ["ReconMesh:Connections:0:RealmId"] = Realm,
            ["ReconMesh:Connections:0:AccessToken"] = Token,
            // Polls only hourly: what these tests see after the initial sync is the webhook's doing.
            ["ReconMesh:Connections:0:PollInterval"] = "01:00:00",
        });
        _ingest = TestAuth.Operator(_ingestHost.Address(), _tenant);
        _store = new IngestStore(_servers.Postgres);
        await Eventually.Until(OpenInvoicesAsync, i => i.Count == SeededInvoices, "the initial sync");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _store.Dispose();
        await _ingestHost.StopAsync();
        await _ingestHost.DisposeAsync();
        await _sandboxHost.StopAsync();
        await _sandboxHost.DisposeAsync();
        _sandbox.Dispose();
        _qbo.Dispose();
        _ingest.Dispose();
        await _servers.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task Should_hold_every_open_invoice_once()
    {
        var invoices = await OpenInvoicesAsync();

        Assert.That(invoices.Select(i => i.GetProperty("externalId").GetString()).Distinct().Count(), Is.EqualTo(SeededInvoices));
    }

    [Test, Order(2)]
    public async Task Should_append_nothing_when_nothing_changed()
    {
        var before = await EventCountAsync();
        var syncedAt = (await CursorAsync())!.LastSyncAt;

        await NotifyAsync("Invoice", "101");
        await Eventually.Until(CursorAsync, c => c!.LastSyncAt > syncedAt, "a sync after the notification");

        Assert.That(await EventCountAsync(), Is.EqualTo(before));
    }

    [Test, Order(3)]
    public async Task Should_take_in_a_new_invoice_on_the_webhook()
    {
        var customer = (await QueryAsync("select * from Customer maxresults 1")).GetProperty("Customer")[0].GetProperty("Id").GetString();
        var created = await PostQboAsync("invoice", new
        {
            CustomerRef = new { value = customer },
            Line = new[] { new { DetailType = "SalesItemLineDetail", Amount = 250.00m, SalesItemLineDetail = new { ItemRef = new { value = "1" } } } },
        });
        var id = created.GetProperty("Invoice").GetProperty("Id").GetString()!;

        await NotifyAsync("Invoice", id);
        var seen = await Eventually.Until(() => InvoiceAsync(id), i => i is not null, "the new invoice to sync in");

        Assert.That(seen!.Value.GetProperty("total").GetDecimal(), Is.EqualTo(250.00m));
    }

    [Test, Order(4)]
    public async Task Should_take_in_an_amount_edited_by_hand()
    {
        var invoice = (await QueryAsync("select * from Invoice where Id = '102'")).GetProperty("Invoice")[0];
        await PostQboAsync("invoice?operation=update", new
        {
            Id = "102", SyncToken = invoice.GetProperty("SyncToken").GetString(), sparse = true,
            Line = new[] { new { DetailType = "SalesItemLineDetail", Amount = 999.99m, SalesItemLineDetail = new { ItemRef = new { value = "1" } } } },
        });

        await NotifyAsync("Invoice", "102");
        var seen = await Eventually.Until(() => InvoiceAsync("102"), i => i?.GetProperty("total").GetDecimal() == 999.99m, "the edit to sync in");

        Assert.That(seen!.Value.GetProperty("balance").GetDecimal(), Is.EqualTo(999.99m));
    }

    [Test, Order(5)]
    public async Task Should_reduce_the_balance_for_a_payment_recorded_by_hand()
    {
        var invoice = (await QueryAsync("select * from Invoice where Id = '103'")).GetProperty("Invoice")[0];
        var balance = invoice.GetProperty("Balance").GetDecimal();
        await PostQboAsync("payment", new
        {
            TotalAmt = 10.00m,
            CustomerRef = new { value = invoice.GetProperty("CustomerRef").GetProperty("value").GetString() },
            Line = new[] { new { Amount = 10.00m, LinkedTxn = new[] { new { TxnId = "103", TxnType = "Invoice" } } } },
        });

        await NotifyAsync("Payment", "any");
        var seen = await Eventually.Until(() => InvoiceAsync("103"), i => i?.GetProperty("balance").GetDecimal() == balance - 10.00m,
            "the cheque to reduce the balance");

        Assert.That(seen!.Value.GetProperty("total").GetDecimal(), Is.EqualTo(invoice.GetProperty("TotalAmt").GetDecimal()));
    }

    [Test, Order(6)]
    public async Task Should_archive_an_invoice_deleted_in_QuickBooks()
    {
        var invoice = (await QueryAsync("select * from Invoice where Id = '104'")).GetProperty("Invoice")[0];
        await PostQboAsync("invoice?operation=delete", new { Id = "104", SyncToken = invoice.GetProperty("SyncToken").GetString() });

        await NotifyAsync("Invoice", "104");
        await Eventually.Until(OpenInvoicesAsync, i => i.All(x => x.GetProperty("externalId").GetString() != "104"), "the deleted invoice to leave the open ones");
        var id = (await InvoiceAsync("104"))!.Value.GetProperty("invoiceId").GetGuid();
        var details = await _ingest.GetFromJsonAsync<JsonElement>($"/tenants/{_tenant}/invoices/{id}", Json);

        Assert.That(details.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("event").GetString()),
            Does.Contain("invoice_archived_in_integration"));
    }

    [Test, Order(7)]
    public async Task Should_refuse_a_forged_notification_and_change_nothing()
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"eventNotifications":[{"realmId":"{{{Realm}}}","dataChangeEvent":{"entities":[]}}]}""");
        using var forged = new HttpRequestMessage(HttpMethod.Post, new Uri(_ingestHost.WebhookAddress(), "/webhooks/quickbooks")) { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } };
        forged.Headers.Add("intuit-signature", Convert.ToBase64String(HMACSHA256.HashData("wrong-key"u8.ToArray(), body)));
        using var unsigned = new HttpRequestMessage(HttpMethod.Post, new Uri(_ingestHost.WebhookAddress(), "/webhooks/quickbooks")) { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } };

        using var forgedAnswer = await _ingest.SendAsync(forged);
        using var unsignedAnswer = await _ingest.SendAsync(unsigned);

        Assert.That(forgedAnswer.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
        Assert.That(unsignedAnswer.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
    }

    private async Task NotifyAsync(string entity, string id)
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            eventNotifications = new[]
            {
                new { realmId = Realm, dataChangeEvent = new { entities = new[] { new { name = entity, id, operation = "Update", lastUpdated = DateTimeOffset.UtcNow } } } },
            },
        }));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_ingestHost.WebhookAddress(), "/webhooks/quickbooks")) { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } };
        request.Headers.Add("intuit-signature", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Verifier), body)));
        using var response = await _ingest.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private async Task<List<JsonElement>> OpenInvoicesAsync() =>
        (await _ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_tenant}/invoices?open=true&pageSize=1000", Json))!;

    private async Task<JsonElement?> InvoiceAsync(string externalId)
    {
        var all = await _ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_tenant}/invoices?pageSize=1000", Json);
        return all!.Cast<JsonElement?>().FirstOrDefault(i => i!.Value.GetProperty("externalId").GetString() == externalId);
    }

    private Task<long> EventCountAsync() => _store.EventCountAsync();

    private Task<SyncCursor?> CursorAsync() => _store.CursorAsync(_connection);

    private async Task<JsonElement> QueryAsync(string query) =>
        (await _qbo.GetFromJsonAsync<JsonElement>($"query?query={Uri.EscapeDataString(query)}")).GetProperty("QueryResponse");

    private async Task<JsonElement> PostQboAsync(string path, object body)
    {
        // QuickBooks' property names are PascalCase and it refuses any other casing, as the real service does.
        using var response = await _qbo.PostAsJsonAsync(path, body, QuickBooksJson);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.IsSuccessStatusCode, Is.True, answer.ToString());
        return answer;
    }
}
