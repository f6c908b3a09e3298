using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Builder;
using ReconMesh.Domain.Invoices;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.InvoiceIngest;
using ReconMesh.Sandbox;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// An Autotask PSA database connected through InvoiceIngest's connections API, against the Autotask simulator over
/// HTTP on a real PostgreSQL and RabbitMQ: the zone looked up by user, the open invoices (not voided, not paid) taken in
/// with their companies' billing contacts, then on each poll an invoice posted by billing, a void archived and a paid
/// date set by hand, today or on an earlier day (which the reconciliation's check of the open invoices finds; the unit
/// test <c>When_an_Autotask_page_is_read</c> shows that check's queries), and a throttled query asked again.
/// </summary>
[TestFixture]
public sealed class When_invoices_sync_in_from_Autotask
{
    private const string Secret = "acme-autotask";
    private static readonly JsonSerializerOptions Json = TenantInvoices.Json;

    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid _connection = Guid.NewGuid();
    private TestServers _servers = null!;
    private WebApplication _sandboxHost = null!;
    private WebApplication _ingestHost = null!;
    private HttpClient _sandbox = null!;
    private HttpClient _ingest = null!;
    private IngestStore _store = null!;
    private AutotaskSandbox _autotask = null!;
    private List<JsonElement> _seeded = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _sandboxHost = await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), new Dictionary<string, string?>());
        _sandbox = new HttpClient { BaseAddress = _sandboxHost.Address() };
        _autotask = await AutotaskSandbox.CreateAsync(_sandbox);
        await _autotask.SeedAsync(seed: 5, companies: 5, invoicesPerCompany: 4, paidRate: 0.2, voidedRate: 0.15);
        _seeded = await _autotask.InvoicesAsync();
        Assert.That(_seeded.Count(i => !AutotaskSandbox.IsOpen(i)), Is.GreaterThan(0), "some seeded invoices are paid or voided");

        _ingestHost = await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), new Dictionary<string, string?>
        {
            ["ReconMesh:RabbitMq"] = _servers.RabbitMqUrl,
            ["ReconMesh:Postgres"] = _servers.Postgres,
            [$"ReconMesh:Secrets:{Secret}:Secret"] = _autotask.Secret,
            [$"ReconMesh:Secrets:{Secret}:TenantId"] = _tenant,
        });
        _ingest = TestAuth.Operator(_ingestHost.Address(), _tenant);
        _store = new IngestStore(_servers.Postgres);
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

    /// <summary>
    /// The zone is looked up by user at the sandbox, as at webservices.autotask.net. The test's pace is the simulator's
    /// own limits (3 at once); the connection's default share, 33 a minute, would make each pass take seconds.
    /// </summary>
    private object Request(Guid? id = null) => new
    {
        id = id ?? _connection,
        kind = "AutotaskPsa",
        baseUrl = _sandboxHost.Address().ToString(),
        userName = _autotask.UserName,
        integrationCode = _autotask.IntegrationCode,
        credentialsSecret = Secret,
        pollInterval = "00:00:00.500",
        reconcileInterval = "00:00:03",
        requestsPerMinute = 6_000,
        maxConcurrent = 3,
    };

    [Test, Order(1)]
    public async Task Should_add_the_connection_and_hold_every_open_invoice_once()
    {
        using var response = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", Request());
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        Assert.That(body, Does.Not.Contain(_autotask.Secret), "the secret's value is never shown");
        var settings = JsonSerializer.Deserialize<JsonElement>(body).GetProperty("settings");
        Assert.That((settings.GetProperty("userName").GetString(), settings.GetProperty("credentialsAvailable").GetBoolean()), Is.EqualTo((_autotask.UserName, true)));

        await Eventually.Until(() => _store.CursorAsync(_connection), c => c is { InitialSyncComplete: true }, "the initial sync");
        var all = await InvoicesAsync("");
        var open = _seeded.Where(AutotaskSandbox.IsOpen).ToList();

        Assert.That(all.Select(i => i.GetProperty("externalId").GetString()), Is.Unique);
        Assert.That(all.Select(i => i.GetProperty("externalId").GetString()), Is.EquivalentTo(open.Select(Id)));
        Assert.That(all.Select(i => (i.GetProperty("integration").GetString(), i.GetProperty("currency").GetString())), Is.All.EqualTo(("AutotaskPsa", "USD")));
        Assert.That(all.Select(i => i.GetProperty("balance").GetDecimal()), Is.EqualTo(all.Select(i => i.GetProperty("total").GetDecimal())));
        var first = all.Single(i => i.GetProperty("externalId").GetString() == Id(open[0]));
        Assert.That((first.GetProperty("number").GetString(), first.GetProperty("total").GetDecimal()),
            Is.EqualTo((open[0].GetProperty("invoiceNumber").GetString(), open[0].GetProperty("invoiceTotal").GetDecimal())));
    }

    [Test, Order(2)]
    public async Task Should_record_each_companys_billing_contact()
    {
        var companies = _seeded.Where(AutotaskSandbox.IsOpen).Select(i => i.GetProperty("companyID").GetInt64().ToString(CultureInfo.InvariantCulture)).Distinct().ToList();

        var contacts = await ContactsAsync();

        Assert.That(contacts.Select(c => c.CustomerExternalId), Is.EquivalentTo(companies));
        // The seeded companies address their invoices to their accounts-payable contact (also their primary one), not to IT.
        Assert.That(contacts.Select(c => c.Email), Is.All.StartsWith("ap@c5-"));
        Assert.That(contacts.Select(c => c.CustomerName), Is.All.Contains(" 5-"));
    }

    [Test, Order(3)]
    public async Task Should_take_in_an_invoice_billing_posts_on_the_next_poll_with_its_new_companys_contact()
    {
        var company = await _autotask.AddCompanyAsync("Northwind Clinics", "Iris", "Larsen", "billing@northwind.test");
        var id = (await _autotask.AddInvoiceAsync(company, 250.00m)).ToString(CultureInfo.InvariantCulture);

        var seen = await Eventually.Until(() => InvoiceAsync(id), i => i is not null, "the new invoice to sync in");

        Assert.That((seen!.Value.GetProperty("total").GetDecimal(), seen.Value.GetProperty("balance").GetDecimal()), Is.EqualTo((250.00m, 250.00m)));
        Assert.That((seen.Value.GetProperty("customerName").GetString()), Is.EqualTo("Northwind Clinics"));
        var contact = (await ContactsAsync()).Single(c => c.CustomerExternalId == company.ToString(CultureInfo.InvariantCulture));
        Assert.That((contact.ContactName, contact.Email), Is.EqualTo(("Iris Larsen", "billing@northwind.test")));
    }

    [Test, Order(4)]
    public async Task Should_archive_an_invoice_voided_in_Autotask()
    {
        var invoice = _seeded.Where(AutotaskSandbox.IsOpen).ElementAt(1);
        await _autotask.VoidAsync(invoice.GetProperty("id").GetInt64());

        await Eventually.Until(() => InvoicesAsync("&open=true"), i => i.All(x => x.GetProperty("externalId").GetString() != Id(invoice)),
            "the voided invoice to leave the open ones");

        Assert.That(await HistoryAsync(Id(invoice)), Does.Contain("invoice_archived_in_integration"));
    }

    [Test, Order(5)]
    public async Task Should_hold_an_invoice_marked_paid_today_as_paid()
    {
        var invoice = _seeded.Where(AutotaskSandbox.IsOpen).ElementAt(2);
        await _autotask.MarkPaidAsync(invoice.GetProperty("id").GetInt64(), DateOnly.FromDateTime(DateTime.UtcNow));

        var paid = await Eventually.Until(() => InvoiceAsync(Id(invoice)), i => i?.GetProperty("balance").GetDecimal() == 0m, "the paid invoice to owe nothing");

        Assert.That(paid!.Value.GetProperty("total").GetDecimal(), Is.EqualTo(invoice.GetProperty("invoiceTotal").GetDecimal()));
        Assert.That(await HistoryAsync(Id(invoice)), Does.Not.Contain("invoice_archived_in_integration"), "clearing the paid date opens it again");
    }

    [Test, Order(6)]
    public async Task Should_hold_an_invoice_marked_paid_on_an_earlier_day_as_paid()
    {
        // No "since" query finds a paid date set to a day before the window: the reconciliation's check of the open
        // invoices does (every 3 s here). An invoice made within the last minute is also re-read by the polls' overlap.
        var invoice = _seeded.Where(AutotaskSandbox.IsOpen).ElementAt(3);
        await _autotask.MarkPaidAsync(invoice.GetProperty("id").GetInt64(), DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10));

        var paid = await Eventually.Until(() => InvoiceAsync(Id(invoice)), i => i?.GetProperty("balance").GetDecimal() == 0m, "the payment to be found");

        Assert.That(paid!.Value.GetProperty("total").GetDecimal(), Is.EqualTo(invoice.GetProperty("invoiceTotal").GetDecimal()));
        Assert.That((await _store.CursorAsync(_connection))!.LastReconciledAt, Is.Not.Null, "the open invoices are checked on the schedule");
    }

    [Test, Order(7)]
    public async Task Should_ask_again_when_Autotask_throttles_a_query_without_failing_the_pass()
    {
        var company = _seeded[0].GetProperty("companyID").GetInt64();
        // Bursts of two 429s (Retry-After: 1) start on a third of the calls: queries are POSTs, marked as reads, so repeated.
        var faults = await SandboxFaults.DuringAsync(_sandbox, "autotask", new { throttleBurstRate = 0.35, throttleBurstLength = 2, seed = 3 }, async () =>
        {
            var id = (await _autotask.AddInvoiceAsync(company, 320.00m)).ToString(CultureInfo.InvariantCulture);
            var syncedAt = (await _store.CursorAsync(_connection))!.LastSyncAt;
            await Eventually.Until(() => InvoiceAsync(id), i => i is not null, "the invoice to sync in while throttled");
            await Eventually.Until(() => _store.CursorAsync(_connection), c => c!.LastSyncAt > syncedAt, "a pass to complete");
        });

        var connection = await _ingest.GetFromJsonAsync<JsonElement>($"/tenants/{_tenant}/connections/{_connection}", Json);
        Assert.That(faults.GetProperty("counts").GetProperty("throttled").GetInt64(), Is.GreaterThan(0), faults.ToString());
        Assert.That(connection.GetProperty("failedSyncsInARow").GetInt32(), Is.Zero, connection.ToString());
    }

    [Test, Order(8)]
    public async Task Should_refuse_the_same_API_user_under_another_id()
    {
        using var response = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", Request(Guid.NewGuid()));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), problem.ToString());
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain($"Autotask API user {_autotask.UserName}"));
    }

    /// <summary>
    /// Autotask's own error (HTTP 500 with <c>{"errors":[…]}</c>) to the invoice query. The query is a read, and the
    /// pipeline repeats a read that met a 500 (up to 6 attempts), so a single such answer is asked again and the pass
    /// goes on; only when every attempt gets it does the pass fail, and the connection then shows what Autotask said:
    /// at most 10 of its errors, each cut at 200 characters, without control characters, the whole cut at 1,000.
    /// </summary>
    [Test, Order(9)]
    public async Task Should_fail_the_pass_with_Autotasks_errors_only_when_every_attempt_gets_its_500()
    {
        var before = await ConnectionAsync();
        var failedBefore = FailedAt(before);

        await QueueInvoiceQueryAnswerAsync(new { errors = new[] { "Transient\u0000 error" } }, times: 1);
        await Eventually.Until(async () => (await _sandbox.GetFromJsonAsync<List<JsonElement>>("/admin/faults/autotask/answers"))!.Count,
            n => n == 0, "the queued 500 to be used up");
        var usedUp = DateTimeOffset.UtcNow;
        await Eventually.Until(ConnectionAsync, c => c.GetProperty("lastSyncAt").GetDateTimeOffset() > usedUp, "a pass to complete after one 500");
        Assert.That(FailedAt(await ConnectionAsync()), Is.EqualTo(failedBefore), "one 500 is asked again, not a failed pass");

        var errors = Enumerable.Range(1, 40).Select(i => $"Query\u0000 failed\u001b: error {i:00} {new string('x', 300)}\r\n").ToArray();
        await QueueInvoiceQueryAnswerAsync(new { errors }, times: 6);
        var failed = await Eventually.Until(ConnectionAsync, c => FailedAt(c) > failedBefore, "the pass's failure to be shown on the connection");
        var reason = failed.GetProperty("lastSyncFailure").GetString()!;

        Assert.That(reason, Does.StartWith("Autotask answered HTTP 500: Query failed: error 01 xxx"), reason);
        Assert.That(reason, Does.Not.Contain("error 11 "), reason);
        Assert.That(reason.Any(char.IsControl), Is.False, reason);
        Assert.That(reason, Has.Length.LessThanOrEqualTo(1001), reason);

        await Eventually.Until(async () => (await _sandbox.GetFromJsonAsync<List<JsonElement>>("/admin/faults/autotask/answers"))!.Count,
            n => n == 0, "the queued answers to be used up");
        await Eventually.Until(ConnectionAsync, c => c.GetProperty("failedSyncsInARow").GetInt32() == 0, "a pass that succeeds after them");
    }

    private async Task QueueInvoiceQueryAnswerAsync(object body, int times)
    {
        using var queued = await _sandbox.PostAsJsonAsync("/admin/faults/autotask/answers", new
        {
            match = "POST /atservicesrest/v1.0/Invoices/query",
            status = 500,
            contentType = "application/json; charset=utf-8",
            body = JsonSerializer.Serialize(body),
            times,
        });
        Assert.That((int)queued.StatusCode, Is.EqualTo(201), await queued.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> ConnectionAsync() =>
        await _ingest.GetFromJsonAsync<JsonElement>($"/tenants/{_tenant}/connections/{_connection}", Json);

    private static DateTimeOffset FailedAt(JsonElement connection) =>
        connection.TryGetProperty("lastSyncFailedAt", out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : DateTimeOffset.MinValue;

    private static string Id(JsonElement invoice) => invoice.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

    private async Task<List<BillingContactRecorded>> ContactsAsync()
    {
        await using var session = _store.Store.QuerySession();
        return [.. (await session.Query<BillingContactView>().Where(v => v.Contact.ConnectionId == _connection).ToListAsync()).Select(v => v.Contact)];
    }

    private Task<List<JsonElement>> InvoicesAsync(string filter) => new TenantInvoices(_ingest, _tenant).AllAsync(filter);

    private Task<JsonElement?> InvoiceAsync(string externalId) => new TenantInvoices(_ingest, _tenant).FindAsync(externalId);

    private Task<List<string>> HistoryAsync(string externalId) => new TenantInvoices(_ingest, _tenant).HistoryAsync(externalId);
}
