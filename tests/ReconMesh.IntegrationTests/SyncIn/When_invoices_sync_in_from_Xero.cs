using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Builder;
using ReconMesh.Domain.Invoices;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.InvoiceIngest;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Sandbox;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// InvoiceIngest against the Xero simulator over HTTP, on a real PostgreSQL and RabbitMQ: the initial sync of the open
/// receivables (AUTHORISED; paid, voided and draft ones left out) with their contacts' billing emails, then incremental
/// reads (<c>If-Modified-Since</c>) on each poll: new invoices, payments recorded by hand, voids archived, and Xero's
/// throttling waited out as its <c>Retry-After</c> says.
/// </summary>
[TestFixture]
public sealed class When_invoices_sync_in_from_Xero
{
    private const int SeededInvoices = 30;
    private static readonly JsonSerializerOptions Json = TenantInvoices.Json;

    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid _connection = Guid.NewGuid();
    private readonly List<string> _leftOut = [];
    private TestServers _servers = null!;
    private WebApplication _sandboxHost = null!;
    private WebApplication _ingestHost = null!;
    private HttpClient _sandbox = null!;
    private HttpClient _ingest = null!;
    private IngestStore _store = null!;
    private XeroSandbox _xero = null!;
    private List<JsonElement> _seeded = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _sandboxHost = await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), new Dictionary<string, string?>());
        _sandbox = new HttpClient { BaseAddress = _sandboxHost.Address() };
        _xero = await XeroSandbox.CreateAsync(_sandbox, _sandboxHost.Address());
        await _xero.SeedAsync(contacts: 6, invoices: SeededInvoices, seed: 11);
        _seeded = [.. (await _xero.BooksAsync()).GetProperty("invoices").EnumerateArray()];

        // Before the connection exists: one invoice paid in Xero, one voided, and a draft raised: none is owed to collect.
        await _xero.PayByHandAsync(Id(0), _seeded[0].GetProperty("amountDue").GetDecimal());
        await _xero.SetStatusAsync(Id(1), "VOIDED");
        _leftOut.AddRange([Id(0), Id(1), await _xero.AddInvoiceAsync(ContactId(2), 75.00m, "DRAFT")]);

        var settings = new Dictionary<string, string?> { ["ReconMesh:RabbitMq"] = _servers.RabbitMqUrl, ["ReconMesh:Postgres"] = _servers.Postgres };
        // Xero's webhooks are not taken in yet: what these tests see after the initial sync is the polls' doing.
        foreach (var (key, value) in _xero.Connection(_connection, _tenant, "00:00:00.500"))
        {
            settings[key] = value;
        }

        _ingestHost = await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), settings);
        _ingest = TestAuth.Operator(_ingestHost.Address(), _tenant);
        _store = new IngestStore(_servers.Postgres);
        await Eventually.Until(() => _store.CursorAsync(_connection), c => c is { InitialSyncComplete: true }, "the initial sync");
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
        _ingest.Dispose();
        await _servers.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task Should_hold_every_open_invoice_once_and_none_paid_voided_or_drafted()
    {
        var all = await InvoicesAsync("");
        var ids = all.Select(i => i.GetProperty("externalId").GetString()!).ToList();

        Assert.That(ids, Is.Unique);
        Assert.That(ids, Is.EquivalentTo(_seeded.Skip(2).Select(i => i.GetProperty("invoiceId").GetString())));
        Assert.That(ids, Has.None.AnyOf(_leftOut.ToArray()));
        Assert.That(all.Select(i => i.GetProperty("integration").GetString()), Is.All.EqualTo("Xero"));
        var first = all.Single(i => i.GetProperty("externalId").GetString() == Id(2));
        Assert.That(first.GetProperty("number").GetString(), Is.EqualTo(_seeded[2].GetProperty("invoiceNumber").GetString()));
        Assert.That(first.GetProperty("balance").GetDecimal(), Is.EqualTo(_seeded[2].GetProperty("amountDue").GetDecimal()));
    }

    [Test, Order(2)]
    public async Task Should_record_each_customers_billing_email()
    {
        await using var session = _store.Store.QuerySession();
        var contacts = await session.Query<BillingContactView>().Where(v => v.Contact.ConnectionId == _connection).ToListAsync();
        var books = (await _xero.BooksAsync()).GetProperty("contacts").EnumerateArray()
            .ToDictionary(c => c.GetProperty("contactId").GetString()!, c => c.GetProperty("emailAddress").GetString());

        Assert.That(contacts, Is.Not.Empty);
        Assert.That(contacts.Select(c => c.Contact.Email), Is.All.Contains("@"));
        Assert.That(contacts.Select(c => c.Contact.Email), Is.EqualTo(contacts.Select(c => books[c.Contact.CustomerExternalId])));
    }

    [Test, Order(3)]
    public async Task Should_take_in_a_new_invoice_on_the_next_poll()
    {
        var id = await _xero.AddInvoiceAsync(ContactId(3), 250.00m);

        var seen = await Eventually.Until(() => InvoiceAsync(id), i => i is not null, "the new invoice to sync in");

        Assert.That((seen!.Value.GetProperty("total").GetDecimal(), seen.Value.GetProperty("balance").GetDecimal()), Is.EqualTo((250.00m, 250.00m)));
    }

    [Test, Order(4)]
    public async Task Should_reduce_the_balance_for_a_payment_recorded_by_hand_and_hold_a_paid_invoice_as_paid()
    {
        var (partly, fully) = (Id(4), Id(5));
        var due = _seeded[4].GetProperty("amountDue").GetDecimal();
        await _xero.PayByHandAsync(partly, 10.00m);
        await _xero.PayByHandAsync(fully, _seeded[5].GetProperty("amountDue").GetDecimal());

        await Eventually.Until(() => InvoiceAsync(partly), i => i?.GetProperty("balance").GetDecimal() == due - 10.00m, "the cheque to reduce the balance");
        var paid = await Eventually.Until(() => InvoiceAsync(fully), i => i?.GetProperty("balance").GetDecimal() == 0m, "the paid invoice to owe nothing");

        Assert.That(paid!.Value.GetProperty("total").GetDecimal(), Is.EqualTo(_seeded[5].GetProperty("total").GetDecimal()));
        Assert.That(await HistoryAsync(fully), Does.Not.Contain("invoice_archived_in_integration"), "a paid invoice reopens when its payment is deleted");
    }

    [Test, Order(5)]
    public async Task Should_archive_an_invoice_voided_in_Xero()
    {
        var id = Id(6);
        await _xero.SetStatusAsync(id, "VOIDED");

        await Eventually.Until(() => InvoicesAsync("&open=true"), i => i.All(x => x.GetProperty("externalId").GetString() != id),
            "the voided invoice to leave the open ones");

        Assert.That(await HistoryAsync(id), Does.Contain("invoice_archived_in_integration"));
    }

    [Test, Order(6)]
    public async Task Should_wait_out_Xeros_throttling_as_its_Retry_After_says()
    {
        // Bursts of two 429s (X-Rate-Limit-Problem: minute, Retry-After: 1) start on a third of the calls.
        var faults = await SandboxFaults.DuringAsync(_sandbox, "xero", new { throttleBurstRate = 0.35, throttleBurstLength = 2, seed = 3 }, async () =>
        {
            var id = await _xero.AddInvoiceAsync(ContactId(4), 320.00m);
            var syncedAt = (await _store.CursorAsync(_connection))!.LastSyncAt;
            await Eventually.Until(() => InvoiceAsync(id), i => i is not null, "the invoice to sync in while throttled");
            await Eventually.Until(() => _store.CursorAsync(_connection), c => c!.LastSyncAt > syncedAt, "a pass to complete");
        });

        Assert.That(faults.GetProperty("counts").GetProperty("throttled").GetInt64(), Is.GreaterThan(0), faults.ToString());
    }

    [Test, Order(7)]
    public async Task Should_stop_the_connection_until_authorised_again_when_its_token_expires()
    {
        (await _sandbox.PostAsJsonAsync("/admin/xero/tokens/expire", new { accessToken = _xero.Token })).EnsureSuccessStatusCode();

        var connection = await Eventually.Until(
            async () => await _ingest.GetFromJsonAsync<JsonElement>($"/tenants/{_tenant}/connections/{_connection}", Json),
            c => c.GetProperty("status").GetString() == "CredentialsRejected", "the connection to stop");

        Assert.That(connection.GetProperty("reason").GetString(),
            Does.StartWith("Xero rejected the connection's credentials").And.Contain("TokenExpired").And.Contain("authorised in Xero again"));
    }

    private string Id(int index) => _seeded[index].GetProperty("invoiceId").GetString()!;

    private string ContactId(int index) => _seeded[index].GetProperty("contactId").GetString()!;

    private Task<List<JsonElement>> InvoicesAsync(string filter) => new TenantInvoices(_ingest, _tenant).AllAsync(filter);

    private Task<JsonElement?> InvoiceAsync(string externalId) => new TenantInvoices(_ingest, _tenant).FindAsync(externalId);

    private Task<List<string>> HistoryAsync(string externalId) => new TenantInvoices(_ingest, _tenant).HistoryAsync(externalId);
}
