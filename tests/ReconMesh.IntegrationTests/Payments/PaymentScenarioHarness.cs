using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// The mesh as it runs (sandbox, PaymentEvents, WritebackService, InvoiceIngest, each composed as in its
/// Program.cs) on a real RabbitMQ and PostgreSQL, with one tenant connected to a seeded QuickBooks company, and
/// what a scenario needs to pay, fail, and read the books and the payment's story.
/// </summary>
public sealed class PaymentScenarioHarness : PlatformScenario, IAsyncDisposable
{
    public const string Realm = "9130000000000555";
    public const string Token = "scenario-token";
    public const string CheckingAccountId = "35";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    public static readonly JsonSerializerOptions QuickBooksJson = new();
    public static readonly string[] TerminalOrWaiting = ["Applied", "Reversed", "Cancelled", "NeedsAttention", "DismissedByPerson"];

    private Mesh _mesh = null!;

    /// <summary>The database password the services were given, for tests that look for it where it must not be.</summary>
    public string DatabasePassword => new Npgsql.NpgsqlConnectionStringBuilder(_mesh.Servers.Postgres).Password ?? "";

    /// <summary>Every line the mesh's hosts logged at Debug and above (the sandbox's aside), and the spans they exported.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Logs { get; } = new();

    public SpanCollection Spans { get; } = [];

    public HttpClient QuickBooks { get; private set; } = null!;

    /// <summary>InvoiceIngest's operator API, with a token that may change the scenario's tenant.</summary>
    public HttpClient InvoiceIngest { get; private set; } = null!;

    /// <summary>The broker of this run (its own virtual host), for scenarios that reach past the services.</summary>
    public string RabbitMqUrl => _mesh.Servers.RabbitMqUrl;

    /// <summary>PaymentEvents' webhook listener: the platform's signed webhook.</summary>
    public HttpClient PaymentEvents { get; private set; } = null!;

    /// <summary>PaymentEvents' operator API, with a token that may change the scenario's tenant.</summary>
    public HttpClient PaymentEventsApi { get; private set; } = null!;

    /// <summary>WritebackService's bus as it runs now (a restart replaces it), for scenarios that watch what it receives.</summary>
    public IBus WritebackBus => _mesh.Writeback.Services.GetRequiredService<IBus>();

    public const string WebhookSecret = "scenario-webhook-secret";

    /// <summary>
    /// Starts the mesh; <paramref name="writebackSettings"/>, <paramref name="invoiceIngestSettings"/> and
    /// <paramref name="paymentEventsSettings"/> add to or override WritebackService's, InvoiceIngest's and PaymentEvents' settings.
    /// </summary>
    public static async Task<PaymentScenarioHarness> StartAsync(int invoices, IReadOnlyDictionary<string, string?>? writebackSettings = null,
        IReadOnlyDictionary<string, string?>? invoiceIngestSettings = null, IReadOnlyDictionary<string, string?>? paymentEventsSettings = null)
    {
        var harness = new PaymentScenarioHarness();
        await harness.StartInternalAsync(invoices, writebackSettings, invoiceIngestSettings, paymentEventsSettings);
        return harness;
    }

    private async Task StartInternalAsync(int invoices, IReadOnlyDictionary<string, string?>? writebackSettings,
        IReadOnlyDictionary<string, string?>? invoiceIngestSettings, IReadOnlyDictionary<string, string?>? paymentEventsSettings)
    {
        _mesh = await Mesh.StartSandboxAsync();
        Sandbox = _mesh.Sandbox;
        PlatformBus = _mesh.PlatformBus;
        (await Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token })).EnsureSuccessStatusCode();
        (await Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 5, invoices, currency = "USD", seed = 5 }))
            .EnsureSuccessStatusCode();
        QuickBooks = new HttpClient { BaseAddress = new Uri(_mesh.SandboxHost.Address(), $"/v3/company/{Realm}/") };
        QuickBooks.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        // Payouts are deposited into Checking (the sandbox company's bank account 35).
        await _mesh.StartServicesAsync(_mesh.QuickBooksConnection(ConnectionId, Tenant, Realm, Token, "00:00:00.500", CheckingAccountId),
            paymentEventsSettings: Merge(new Dictionary<string, string?> { ["ReconMesh:Platform:WebhookSecret"] = WebhookSecret }, paymentEventsSettings),
            invoiceIngestSettings: invoiceIngestSettings, spans: Spans, logs: Logs,
            writebackSettings: Merge(new Dictionary<string, string?> { ["ReconMesh:Writeback:InvoiceWait:CheckInterval"] = "00:00:00.200" }, writebackSettings));
        PaymentEvents = new HttpClient { BaseAddress = _mesh.PaymentEvents.WebhookAddress() };
        PaymentEventsApi = TestAuth.Operator(_mesh.PaymentEvents.Address(), Tenant);
        Writeback = TestAuth.Operator(_mesh.Writeback.Address(), Tenant);
        InvoiceIngest = TestAuth.Operator(_mesh.InvoiceIngest.Address(), Tenant);
        await UntilInvoicesSyncedAsync(_mesh.Writeback, invoices);
    }

    /// <summary>Restarts WritebackService (see <see cref="Mesh.RestartWritebackAsync"/>); <see cref="PlatformScenario.Writeback"/> then calls the new one.</summary>
    public async Task RestartWritebackAsync(Func<Task>? whileStopped = null)
    {
        await _mesh.RestartWritebackAsync(whileStopped);
        Writeback.Dispose();
        Writeback = TestAuth.Operator(_mesh.Writeback.Address(), Tenant);
    }

    /// <summary>Restarts InvoiceIngest (see <see cref="Mesh.RestartInvoiceIngestAsync"/>); <see cref="InvoiceIngest"/> then calls the new one.</summary>
    public async Task RestartInvoiceIngestAsync(Func<Task>? whileStopped = null)
    {
        await _mesh.RestartInvoiceIngestAsync(whileStopped);
        InvoiceIngest.Dispose();
        InvoiceIngest = TestAuth.Operator(_mesh.InvoiceIngest.Address(), Tenant);
    }

    public async ValueTask DisposeAsync()
    {
        QuickBooks?.Dispose();
        Writeback?.Dispose();
        InvoiceIngest?.Dispose();
        PaymentEvents?.Dispose();
        PaymentEventsApi?.Dispose();
        await _mesh.DisposeAsync();
    }

    public Guid InvoiceIdFor(string externalId) => MeshIds.Invoice(ConnectionId, externalId);

    public async Task<JsonElement> BooksAsync() => await Sandbox.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{Realm}/books");

    public static JsonElement Invoice(JsonElement books, string externalId) =>
        books.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("id").GetString() == externalId);

    /// <summary>Payments in the books that are not voided or deleted and apply to the invoice.</summary>
    public static List<JsonElement> LivePaymentsFor(JsonElement books, string externalId) =>
        [.. books.GetProperty("payments").EnumerateArray().Where(p => !p.GetProperty("voided").GetBoolean() && !p.GetProperty("deleted").GetBoolean()
            && p.GetProperty("lines").EnumerateArray().Any(l => l.GetProperty("invoiceId").GetString() == externalId))];

    /// <summary>What WritebackService decided for a payout, once it has.</summary>
    public Task<JsonElement> PayoutOutcomeAsync(string payoutId) => PayoutOutcomeAsync(Writeback, Tenant, payoutId);

    /// <summary>What a WritebackService decided for a tenant's payout, once it has.</summary>
    public static async Task<JsonElement> PayoutOutcomeAsync(HttpClient writeback, string tenant, string payoutId) =>
        (await Eventually.Until(async () =>
        {
            using var response = await writeback.GetAsync($"/tenants/{tenant}/payouts/{payoutId}");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
        }, o => o is not null, $"payout {payoutId} to be decided"))!.Value;

    /// <summary>An account's balance in the books, by name; zero for an account not created (yet).</summary>
    public static decimal Account(JsonElement books, string name) =>
        books.GetProperty("accounts").EnumerateArray().Where(a => a.GetProperty("name").GetString() == name)
            .Select(a => a.GetProperty("currentBalance").GetDecimal()).FirstOrDefault();

    public static IEnumerable<string> Story(JsonElement payment) =>
        payment.GetProperty("story").EnumerateArray().Select(e => e.GetProperty("event").GetString()!);

    /// <summary>The waits aside in a payment's story, each entry's data (stage, cause, wait, firstFailedAt, nextAttemptAt...).</summary>
    public static List<JsonElement> Waits(JsonElement payment) =>
        [.. payment.GetProperty("story").EnumerateArray().Where(e => e.GetProperty("event").GetString() == "writeback_waiting").Select(e => e.GetProperty("data"))];

    public async Task<JsonElement> QuickBooksPostAsync(string path, object body)
    {
        using var response = await QuickBooks.PostAsJsonAsync(path, body, QuickBooksJson);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.IsSuccessStatusCode, Is.True, answer.ToString());
        return answer;
    }

    public async Task<JsonElement> QuickBooksGetAsync(string path) => await QuickBooks.GetFromJsonAsync<JsonElement>(path);

    /// <summary>
    /// QuickBooks refuses the next <paramref name="times"/> reads of the invoice (fault 2500, Invalid Reference Id), or until
    /// the scripted answers are cleared (<c>DELETE /admin/faults/quickbooks/answers</c>).
    /// </summary>
    public async Task RefuseInvoiceReadsAsync(InvoiceSynced invoice, int times)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        using var scripted = await Sandbox.PostAsJsonAsync("/admin/faults/quickbooks/answers", new
        {
            match = $"GET /v3/company/{Realm}/invoice/{invoice.ExternalId}", status = 400, contentType = "application/json", times,
            body = "{\"Fault\":{\"Error\":[{\"Message\":\"Invalid Reference Id\",\"code\":\"2500\"}],\"type\":\"ValidationFault\"}}",
        });
        Assert.That((int)scripted.StatusCode, Is.EqualTo(201), await scripted.Content.ReadAsStringAsync());
    }

    /// <summary>Voids the invoice in the QuickBooks company, as a person would in QuickBooks (at its current SyncToken).</summary>
    public async Task VoidInvoiceAsync(string externalId)
    {
        var current = (await QuickBooksGetAsync($"invoice/{externalId}")).GetProperty("Invoice");
        await QuickBooksPostAsync("invoice?operation=void", new { Id = externalId, SyncToken = current.GetProperty("SyncToken").GetString() });
    }

    private static Dictionary<string, string?> Merge(Dictionary<string, string?> first, IReadOnlyDictionary<string, string?>? second)
    {
        foreach (var (key, value) in second ?? new Dictionary<string, string?>())
        {
            first[key] = value;
        }

        return first;
    }
}
