using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.InvoiceIngest;
using ReconMesh.InvoiceIngest.Webhooks;
using ReconMesh.Sandbox;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// InvoiceIngest's Xero webhook against the Xero simulator's own webhook delivery, on a real PostgreSQL and RabbitMQ:
/// the simulator's "intent to receive" passes only with the app's key, and once it passed, a change a person makes in
/// Xero reaches ReconMesh through the webhook (the connection polls only hourly, so nothing else would bring it).
/// </summary>
[TestFixture]
public sealed class When_Xero_notifies_a_change
{
    private const string WebhookKey = "xero-app-webhook-key";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid _connection = Guid.NewGuid();
    private TestServers _servers = null!;
    private WebApplication _sandboxHost = null!;
    private WebApplication _ingestHost = null!;
    private HttpClient _sandbox = null!;
    private HttpClient _ingest = null!;
    private XeroSandbox _xero = null!;
    private List<JsonElement> _seeded = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _sandboxHost = await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), new Dictionary<string, string?>());
        _sandbox = new HttpClient { BaseAddress = _sandboxHost.Address() };
        _xero = await XeroSandbox.CreateAsync(_sandbox, _sandboxHost.Address());
        await _xero.SeedAsync(contacts: 3, invoices: 8, seed: 5);
        _seeded = [.. (await _xero.BooksAsync()).GetProperty("invoices").EnumerateArray()];

        var settings = new Dictionary<string, string?>
        {
            ["ReconMesh:RabbitMq"] = _servers.RabbitMqUrl,
            ["ReconMesh:Postgres"] = _servers.Postgres,
            [XeroWebhook.WebhookKeySetting] = WebhookKey,
            ["ReconMesh:Sync:WokenPassGap"] = "00:00:00.200",
        };
        // Polls only hourly: what these tests see after the initial sync is the webhook's doing.
        foreach (var (key, value) in _xero.Connection(_connection, _tenant, "01:00:00"))
        {
            settings[key] = value;
        }

        _ingestHost = await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), settings);
        _ingest = TestAuth.Operator(_ingestHost.Address(), _tenant);
        await Eventually.Until(() => InvoicesAsync("&open=true"), i => i.Count == _seeded.Count, "the initial sync");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _ingestHost.StopAsync();
        await _ingestHost.DisposeAsync();
        await _sandboxHost.StopAsync();
        await _sandboxHost.DisposeAsync();
        _sandbox.Dispose();
        _ingest.Dispose();
        await _servers.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task Should_fail_intent_to_receive_when_Xero_signs_with_another_key()
    {
        var subscription = await SubscribeAsync("another-apps-key");

        Assert.That(subscription.GetProperty("status").GetString(), Is.EqualTo("INTENT_TO_RECEIVE_REQUIRED"), subscription.ToString());
        Assert.That(subscription.GetProperty("detail").GetString(), Does.Contain("got 401 (expected 200)"), subscription.ToString());
    }

    [Test, Order(2)]
    public async Task Should_pass_intent_to_receive_with_the_apps_key()
    {
        var subscription = await SubscribeAsync(WebhookKey);

        Assert.That(subscription.GetProperty("status").GetString(), Is.EqualTo("OK"), subscription.ToString());
    }

    [Test, Order(3)]
    public async Task Should_take_in_a_new_invoice_when_Xero_notifies_it()
    {
        var id = await _xero.AddInvoiceAsync(_seeded[0].GetProperty("contactId").GetString()!, 410.00m);

        var seen = await Eventually.Until(() => InvoiceAsync(id), i => i is not null, "the notified invoice to sync in");

        Assert.That(seen!.Value.GetProperty("balance").GetDecimal(), Is.EqualTo(410.00m));
    }

    [Test, Order(4)]
    public async Task Should_archive_an_invoice_when_Xero_notifies_its_void()
    {
        var id = _seeded[1].GetProperty("invoiceId").GetString()!;
        await _xero.SetStatusAsync(id, "VOIDED");

        await Eventually.Until(() => InvoicesAsync("&open=true"), i => i.All(x => x.GetProperty("externalId").GetString() != id),
            "the voided invoice to leave the open ones");
        var delivered = await _sandbox.GetFromJsonAsync<JsonElement>("/admin/xero/webhook");

        Assert.That(delivered.GetProperty("delivered").GetInt64(), Is.GreaterThan(0), delivered.ToString());
        Assert.That(delivered.GetProperty("dropped").GetInt64(), Is.Zero, delivered.ToString());
    }

    private async Task<JsonElement> SubscribeAsync(string key)
    {
        using var response = await _sandbox.PutAsJsonAsync("/admin/xero/webhook",
            new { url = new Uri(_ingestHost.WebhookAddress(), XeroWebhook.Path).ToString(), key });
        return await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<List<JsonElement>> InvoicesAsync(string filter) =>
        (await _ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_tenant}/invoices?pageSize=1000{filter}", Json))!;

    private async Task<JsonElement?> InvoiceAsync(string externalId) =>
        (await InvoicesAsync("")).Cast<JsonElement?>().FirstOrDefault(i => i!.Value.GetProperty("externalId").GetString() == externalId);
}
