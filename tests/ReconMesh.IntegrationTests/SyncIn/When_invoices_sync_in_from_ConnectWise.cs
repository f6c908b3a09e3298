using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.InvoiceIngest;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Sandbox;
using static ReconMesh.IntegrationTests.Payments.ConnectWiseSandbox;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// InvoiceIngest against the ConnectWise PSA simulator over HTTP, on a real PostgreSQL and RabbitMQ: the initial sync of
/// open invoices (closed ones left out), and changes made in PSA flowing in as soon as a signed callback says so.
/// </summary>
[TestFixture]
public sealed class When_invoices_sync_in_from_ConnectWise
{
    private const int SeededInvoices = 30;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid _connection = Guid.NewGuid();
    private readonly List<string> _closed = [];
    private TestServers _servers = null!;
    private WebApplication _sandboxHost = null!;
    private WebApplication _ingestHost = null!;
    private HttpClient _sandbox = null!;
    private HttpClient _cw = null!;
    private HttpClient _ingest = null!;
    private IngestStore _store = null!;
    private List<int> _seeded = [];
    private int _callback;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _sandboxHost = await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), new Dictionary<string, string?>());
        _sandbox = new HttpClient { BaseAddress = _sandboxHost.Address() };
        var seeded = await (await _sandbox.PostAsJsonAsync($"/admin/cw/sites/{CompanyId}/seed", new { companies = 4, invoices = SeededInvoices, currency = "USD", seed = 11 }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        _seeded = [.. seeded.GetProperty("invoices").EnumerateArray().Select(i => i.GetInt32())];
        _cw = Api(_sandboxHost.Address());

        // Two invoices are paid and closed in PSA before the connection exists: the initial sync must leave them out.
        foreach (var id in _seeded.Take(2))
        {
            var invoice = await _cw.GetFromJsonAsync<JsonElement>($"finance/invoices/{id}");
            await PostAsync(_cw, $"finance/invoices/{id}/payments", new { type = "Payment", amount = invoice.GetProperty("balance").GetDecimal() });
            await PatchAsync(_sandbox, $"/admin/cw/sites/{CompanyId}/invoices/{id}", new { status = ClosedStatus });
            _closed.Add(id.ToString(CultureInfo.InvariantCulture));
        }

        var settings = new Dictionary<string, string?>
        {
            ["ReconMesh:RabbitMq"] = _servers.RabbitMqUrl,
            ["ReconMesh:Postgres"] = _servers.Postgres,
        };
        // Polls only hourly: what these tests see after the initial sync is the callbacks' doing.
        foreach (var (key, value) in Connection(_connection, _tenant, _sandboxHost.Address(), "01:00:00"))
        {
            settings[key] = value;
        }

        _ingestHost = await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), settings);
        _ingest = TestAuth.Operator(_ingestHost.Address(), _tenant);
        _store = new IngestStore(_servers.Postgres);
        await Eventually.Until(CursorAsync, c => c is { InitialSyncComplete: true }, "the initial sync");

        // Subscribe the connection to every invoice change of the site, as a tenant's setup would.
        _callback = (await PostAsync(_cw, "system/callbacks", new
        {
            url = new Uri(_ingestHost.WebhookAddress(), $"/webhooks/connectwise/{_connection}").ToString(),
            objectId = 1, type = "Invoice", level = "Owner", description = "ReconMesh invoices",
        })).GetProperty("id").GetInt32();
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
        _cw.Dispose();
        _ingest.Dispose();
        await _servers.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task Should_hold_every_open_invoice_once_and_no_closed_one()
    {
        var all = await InvoicesAsync("");
        var ids = all.Select(i => i.GetProperty("externalId").GetString()!).ToList();

        Assert.That(ids, Is.Unique);
        Assert.That(ids, Is.EquivalentTo(_seeded.Skip(2).Select(i => i.ToString(CultureInfo.InvariantCulture))));
        Assert.That(ids, Has.None.AnyOf(_closed.ToArray()));
        Assert.That(all.Select(i => i.GetProperty("integration").GetString()), Is.All.EqualTo("ConnectWisePsa"));
    }

    [Test, Order(2)]
    public async Task Should_append_nothing_when_nothing_changed()
    {
        var before = await EventCountAsync();
        var syncedAt = (await CursorAsync())!.LastSyncAt;

        // A status change ReconMesh does not hold: the callback wakes a sync that finds nothing to record.
        await PatchAsync(_sandbox, $"/admin/cw/sites/{CompanyId}/invoices/{_seeded[5]}", new { status = 2 });
        await Eventually.Until(CursorAsync, c => c!.LastSyncAt > syncedAt, "a sync after the callback");

        Assert.That(await EventCountAsync(), Is.EqualTo(before));
    }

    [Test, Order(3)]
    public async Task Should_take_in_a_new_invoice_on_the_callback()
    {
        var company = (await _cw.GetFromJsonAsync<JsonElement>($"finance/invoices/{_seeded[3]}")).GetProperty("company").GetProperty("id").GetInt32();
        using var response = await _sandbox.PostAsJsonAsync($"/admin/cw/sites/{CompanyId}/invoices", new { type = "Standard", company = new { id = company }, total = 250.00m });
        var created = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture);

        var seen = await Eventually.Until(() => InvoiceAsync(id), i => i is not null, "the new invoice to sync in");

        Assert.That(seen!.Value.GetProperty("total").GetDecimal(), Is.EqualTo(250.00m));
        Assert.That(seen.Value.GetProperty("number").GetString(), Is.EqualTo(created.GetProperty("invoiceNumber").GetString()));
    }

    [Test, Order(4)]
    public async Task Should_take_in_an_amount_edited_by_hand()
    {
        var id = _seeded[6].ToString(CultureInfo.InvariantCulture);
        await PatchAsync(_sandbox, $"/admin/cw/sites/{CompanyId}/invoices/{id}", new { total = 999.99m });

        var seen = await Eventually.Until(() => InvoiceAsync(id), i => i?.GetProperty("total").GetDecimal() == 999.99m, "the edit to sync in");

        Assert.That(seen!.Value.GetProperty("balance").GetDecimal(), Is.EqualTo(999.99m));
    }

    [Test, Order(5)]
    public async Task Should_reduce_the_balance_for_a_payment_recorded_by_hand()
    {
        var id = _seeded[7].ToString(CultureInfo.InvariantCulture);
        var invoice = await _cw.GetFromJsonAsync<JsonElement>($"finance/invoices/{id}");
        var balance = invoice.GetProperty("balance").GetDecimal();
        await PostAsync(_cw, $"finance/invoices/{id}/payments", new { type = "Payment", amount = 10.00m, appliedBy = "cheque 2001" });

        var seen = await Eventually.Until(() => InvoiceAsync(id), i => i?.GetProperty("balance").GetDecimal() == balance - 10.00m,
            "the cheque to reduce the balance");

        Assert.That(seen!.Value.GetProperty("total").GetDecimal(), Is.EqualTo(invoice.GetProperty("total").GetDecimal()));
    }

    [Test, Order(6)]
    public async Task Should_refuse_forged_or_misdirected_callbacks()
    {
        var keyUrl = new Uri(_sandboxHost.Address(), "/v4_6_release/apis/3.0/system/callbackKeys/00000000-0000-0000-0000-000000000000").ToString();
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["Action"] = "updated", ["CompanyId"] = CompanyId, ["ID"] = _seeded[8], ["Type"] = "invoice",
            ["Metadata"] = new Dictionary<string, string> { ["key_url"] = keyUrl },
        }));
        var elsewhere = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace(_sandboxHost.Address().Authority, "attacker.example", StringComparison.Ordinal));

        using var forged = await SendAsync($"/webhooks/connectwise/{_connection}", body, Convert.ToBase64String(HMACSHA256.HashData("wrong"u8.ToArray(), body)));
        using var unsigned = await SendAsync($"/webhooks/connectwise/{_connection}", body, null);
        using var foreignKey = await SendAsync($"/webhooks/connectwise/{_connection}", elsewhere, "c2lnbmF0dXJl");
        using var unknown = await SendAsync($"/webhooks/connectwise/{Guid.NewGuid()}", body, null);

        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(foreignKey.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test, Order(7)]
    public async Task Should_archive_an_invoice_deleted_in_PSA_on_its_callback()
    {
        var id = _seeded[9].ToString(CultureInfo.InvariantCulture);
        var reconciledAt = (await CursorAsync())!.LastReconciledAt;
        (await _sandbox.DeleteAsync($"/admin/cw/sites/{CompanyId}/invoices/{id}")).EnsureSuccessStatusCode();

        await Eventually.Until(() => InvoicesAsync("&open=true"), i => i.All(x => x.GetProperty("externalId").GetString() != id),
            "the deleted invoice to leave the open ones");

        Assert.That(await HistoryAsync(id), Does.Contain("invoice_archived_in_integration"));
        Assert.That((await CursorAsync())!.LastReconciledAt, Is.EqualTo(reconciledAt), "found through the callback, not by a reconciliation");
    }

    [Test, Order(8)]
    public async Task Should_archive_a_deletion_whose_callback_was_lost_when_reconciling()
    {
        // The subscription is gone (as when PSA's delivery failed: it does not retry), so no callback says "deleted".
        using (var unsubscribed = await _cw.DeleteAsync($"system/callbacks/{_callback}"))
        {
            unsubscribed.EnsureSuccessStatusCode();
        }

        var id = _seeded[10].ToString(CultureInfo.InvariantCulture);
        (await _sandbox.DeleteAsync($"/admin/cw/sites/{CompanyId}/invoices/{id}")).EnsureSuccessStatusCode();
        var reconciledAt = (await CursorAsync())!.LastReconciledAt;

        using var asked = await _ingest.PostAsync($"/tenants/{_tenant}/connections/{_connection}/reconcile", null);
        Assert.That(asked.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await Eventually.Until(CursorAsync, c => c!.LastReconciledAt > reconciledAt, "a reconciliation");

        Assert.That(await HistoryAsync(id), Does.Contain("invoice_archived_in_integration"));
        Assert.That((await InvoicesAsync("&open=true")).Select(i => i.GetProperty("externalId").GetString()), Does.Not.Contain(id));
    }

    private async Task<List<string?>> HistoryAsync(string externalId)
    {
        var id = (await InvoiceAsync(externalId))!.Value.GetProperty("invoiceId").GetGuid();
        var details = await _ingest.GetFromJsonAsync<JsonElement>($"/tenants/{_tenant}/invoices/{id}", Json);
        return [.. details.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("event").GetString())];
    }

    private async Task<HttpResponseMessage> SendAsync(string path, byte[] body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_ingestHost.WebhookAddress(), path))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        };
        if (signature is not null)
        {
            request.Headers.Add("x-content-signature", signature);
        }

        return await _ingest.SendAsync(request);
    }

    private async Task<List<JsonElement>> InvoicesAsync(string filter) =>
        (await _ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_tenant}/invoices?pageSize=1000{filter}", Json))!;

    private async Task<JsonElement?> InvoiceAsync(string externalId) =>
        (await InvoicesAsync("")).Cast<JsonElement?>().FirstOrDefault(i => i!.Value.GetProperty("externalId").GetString() == externalId);

    private Task<long> EventCountAsync() => _store.EventCountAsync();

    private Task<SyncCursor?> CursorAsync() => _store.CursorAsync(_connection);
}
