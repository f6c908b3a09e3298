using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.IntegrationTests.SyncIn;
using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.IntegrationTests.Corpus;

/// <summary>
/// One mesh for a whole fixture of hostile input: tenant A connected to a seeded QuickBooks company (with QuickBooks
/// webhooks), tenant B connected to the ConnectWise simulator's seeded site, tenant X connected to a seeded Xero
/// organisation (with Xero's webhook, which passed the simulator's intent to receive), tenant T connected to a seeded
/// Autotask database (sync in only: its hourly threshold off, so the corpus's polls never meet it), the platform webhook's secret set, and a
/// bare AMQP connection to publish what a careless or malicious producer would. Also what the corpus needs to read the
/// answers: error queues (with MassTransit's fault headers), PaymentEvents' exceptions entries, payments' states.
/// </summary>
public sealed class CorpusHarness : IAsyncDisposable
{
    public const string Realm = "9130000000000777";
    public const string QboToken = "corpus-qbo-token";
    public const string WebhookSecret = "corpus-webhook-secret";
    public const string VerifierToken = "corpus-verifier-token";
    public const string XeroWebhookKey = "corpus-xero-webhook-key";

    private readonly Dictionary<string, Dictionary<string, ErrorMessage>> _errors = [];
    private readonly HashSet<Guid> _taken = [];
    private Mesh _mesh = null!;
    private IConnection _amqp = null!;

    /// <summary>A message moved to an error (or skipped) queue, with MassTransit's reason headers.</summary>
    public sealed record ErrorMessage(string? MessageId, string Reason, string Body);

    public string TenantA { get; } = $"tenant-a-{Guid.NewGuid():N}";

    public string TenantB { get; } = $"tenant-b-{Guid.NewGuid():N}";

    public Guid QuickBooksConnectionId { get; } = Guid.NewGuid();

    public Guid ConnectWiseConnectionId { get; } = Guid.NewGuid();

    public string TenantX { get; } = $"tenant-x-{Guid.NewGuid():N}";

    public Guid XeroConnectionId { get; } = Guid.NewGuid();

    public XeroSandbox Xero { get; private set; } = null!;

    public string TenantT { get; } = $"tenant-t-{Guid.NewGuid():N}";

    public Guid AutotaskConnectionId { get; } = Guid.NewGuid();

    public AutotaskSandbox Autotask { get; private set; } = null!;

    /// <summary>The Autotask database's open invoices when seeded (ids as Autotask writes them); its closed ones are never held.</summary>
    public IReadOnlyList<string> AutotaskOpenInvoices { get; private set; } = [];

    public Mesh Mesh => _mesh;

    public HttpClient Sandbox { get; private set; } = null!;

    public HttpClient QuickBooks { get; private set; } = null!;

    /// <summary>PaymentEvents' webhook listener (the platform's signed webhook; PaymentEvents has no operator API).</summary>
    public HttpClient PaymentEvents { get; private set; } = null!;

    public HttpClient Writeback { get; private set; } = null!;

    public HttpClient InvoiceIngest { get; private set; } = null!;

    /// <summary>InvoiceIngest's webhook listener: the QuickBooks and Xero webhooks and the ConnectWise callbacks.</summary>
    public HttpClient InvoiceIngestWebhooks { get; private set; } = null!;

    public IBus PlatformBus => _mesh.PlatformBus;

    public static async Task<CorpusHarness> StartAsync(int quickBooksInvoices = 12, int connectWiseInvoices = 6, int xeroInvoices = 20)
    {
        var harness = new CorpusHarness();
        await harness.StartInternalAsync(quickBooksInvoices, connectWiseInvoices, xeroInvoices);
        return harness;
    }

    /// <summary>
    /// Tenant T's Autotask database: 3 companies with 4 open invoices each, and one whose 2 invoices are paid or voided;
    /// the connection unpaced (the corpus polls every half second), the database's hourly threshold off.
    /// </summary>
    private async Task<Dictionary<string, string?>> AutotaskAsync(Uri sandbox)
    {
        Autotask = await AutotaskSandbox.CreateAsync(Sandbox);
        await Autotask.SeedAsync(seed: 7, companies: 3, invoicesPerCompany: 4, paidRate: 0, voidedRate: 0);
        await Autotask.SeedAsync(seed: 8, companies: 1, invoicesPerCompany: 2, paidRate: 0.5, voidedRate: 0.5);
        await Autotask.LimitsAsync(requestsPerHour: 0);
        AutotaskOpenInvoices = [.. (await Autotask.InvoicesAsync()).Where(AutotaskSandbox.IsOpen).Select(i => i.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture))];
        return new Dictionary<string, string?>
        {
            ["ReconMesh:Connections:3:Id"] = AutotaskConnectionId.ToString(),
            ["ReconMesh:Connections:3:TenantId"] = TenantT,
            ["ReconMesh:Connections:3:Kind"] = "AutotaskPsa",
            ["ReconMesh:Connections:3:BaseUrl"] = sandbox.ToString(),
            ["ReconMesh:Connections:3:UserName"] = Autotask.UserName,
            ["ReconMesh:Connections:3:Secret"] = Autotask.Secret,
            ["ReconMesh:Connections:3:IntegrationCode"] = Autotask.IntegrationCode,
            ["ReconMesh:Connections:3:PollInterval"] = "00:00:00.500",
            ["ReconMesh:Connections:3:RequestsPerMinute"] = "0",
            ["ReconMesh:Connections:3:MaxConcurrent"] = "0",
        };
    }

    private async Task StartInternalAsync(int quickBooksInvoices, int connectWiseInvoices, int xeroInvoices)
    {
        _mesh = await Mesh.StartSandboxAsync();
        Sandbox = _mesh.Sandbox;
        (await Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = QboToken })).EnsureSuccessStatusCode();
        (await Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 4, invoices = quickBooksInvoices, currency = "USD", seed = 7 }))
            .EnsureSuccessStatusCode();
        (await Sandbox.PostAsJsonAsync($"/admin/cw/sites/{ConnectWiseSandbox.CompanyId}/seed",
            new { companies = 3, invoices = connectWiseInvoices, currency = "USD", seed = 7 })).EnsureSuccessStatusCode();
        Xero = await XeroSandbox.CreateAsync(Sandbox, _mesh.SandboxHost.Address());
        await Xero.SeedAsync(contacts: 3, invoices: xeroInvoices, seed: 7);
        QuickBooks = new HttpClient { BaseAddress = new Uri(_mesh.SandboxHost.Address(), $"/v3/company/{Realm}/") };
        QuickBooks.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", QboToken);

        var connections = _mesh.QuickBooksConnection(QuickBooksConnectionId, TenantA, Realm, QboToken, "00:00:00.500", PaymentScenarioHarness.CheckingAccountId);
        foreach (var (key, value) in ConnectWiseSandbox.Connection(ConnectWiseConnectionId, TenantB, _mesh.SandboxHost.Address(), "00:00:00.500"))
        {
            connections[key.Replace(":Connections:0:", ":Connections:1:", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in Xero.Connection(XeroConnectionId, TenantX, "00:00:00.500"))
        {
            connections[key.Replace(":Connections:0:", ":Connections:2:", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in await AutotaskAsync(_mesh.SandboxHost.Address()))
        {
            connections[key] = value;
        }

        await _mesh.StartServicesAsync(connections,
            paymentEventsSettings: new Dictionary<string, string?> { ["ReconMesh:Platform:WebhookSecret"] = WebhookSecret },
            invoiceIngestSettings: new Dictionary<string, string?>
            {
                ["ReconMesh:QuickBooks:WebhookVerifierToken"] = VerifierToken,
                [ReconMesh.InvoiceIngest.Webhooks.XeroWebhook.WebhookKeySetting] = XeroWebhookKey,
                // Smaller than production's 16 MiB, so a case can send a body beyond it through the sandbox (2 MiB at most).
                [Integrations.Http.IntegrationAddressPolicy.MaxAnswerBytesKey] = "1572864",
            },
            writebackSettings: new Dictionary<string, string?>
            {
                ["ReconMesh:Writeback:InvoiceWait:CheckInterval"] = "00:00:00.200",
                ["ReconMesh:Writeback:InvoiceWait:Timeout"] = "00:00:02",
            });
        // An administrator: the corpus names tenants of its own (one nobody connected, hostile ids) and asks for one
        // tenant's data under the other's name; what a token may see is Security/When_callers_reach_for_the_APIs' subject.
        var admin = TestAuth.Token([], ReconMesh.ServiceDefaults.Security.AccessRoles.Admin);
        PaymentEvents = new HttpClient { BaseAddress = _mesh.PaymentEvents.WebhookAddress() };
        Writeback = TestAuth.WithToken(new HttpClient { BaseAddress = _mesh.Writeback.Address() }, admin);
        InvoiceIngest = TestAuth.WithToken(new HttpClient { BaseAddress = _mesh.InvoiceIngest.Address() }, admin);
        InvoiceIngestWebhooks = new HttpClient { BaseAddress = _mesh.InvoiceIngest.WebhookAddress() };
        _amqp = await new ConnectionFactory { Uri = new Uri(_mesh.Servers.RabbitMqUrl) }.CreateConnectionAsync();
        await Eventually.Until(() => InvoicesAsync(TenantA), i => i.Count >= quickBooksInvoices, "tenant A's QuickBooks invoices to sync");
        await Eventually.Until(() => InvoicesAsync(TenantB), i => i.Count >= connectWiseInvoices, "tenant B's ConnectWise invoices to sync");
        await Eventually.Until(() => InvoicesAsync(TenantX), i => i.Count >= xeroInvoices, "tenant X's Xero invoices to sync");
        await Eventually.Until(() => InvoicesAsync(TenantT), i => i.Count >= AutotaskOpenInvoices.Count, "tenant T's Autotask invoices to sync");

        // The app's Xero webhook points at InvoiceIngest: the simulator's intent to receive must pass before it sends events.
        using var subscribed = await Sandbox.PutAsJsonAsync("/admin/xero/webhook",
            new { url = new Uri(_mesh.InvoiceIngest.WebhookAddress(), ReconMesh.InvoiceIngest.Webhooks.XeroWebhook.Path).ToString(), key = XeroWebhookKey });
        var subscription = await subscribed.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        if (subscription.GetProperty("status").GetString() != "OK")
        {
            throw new InvalidOperationException($"Xero's intent to receive failed against InvoiceIngest: {subscription}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_amqp is not null)
        {
            await _amqp.CloseAsync();
            _amqp.Dispose();
        }

        QuickBooks?.Dispose();
        PaymentEvents?.Dispose();
        Writeback?.Dispose();
        InvoiceIngest?.Dispose();
        InvoiceIngestWebhooks?.Dispose();
        await _mesh.DisposeAsync();
    }

    public async Task<List<InvoiceSynced>> InvoicesAsync(string tenant) =>
        (await Sandbox.GetFromJsonAsync<List<InvoiceSynced>>($"/platform/invoices?tenantId={tenant}", PaymentScenarioHarness.Json))!;

    /// <summary>An open invoice of the tenant nobody has paid yet, one per call.</summary>
    public async Task<InvoiceSynced> TakeInvoiceAsync(string tenant)
    {
        var invoices = await InvoicesAsync(tenant);
        lock (_taken)
        {
            var invoice = invoices.Where(i => i.Balance > 0 && i.Balance == i.Total).OrderBy(i => i.Number, StringComparer.Ordinal)
                .First(i => !_taken.Contains(i.InvoiceId));
            _taken.Add(invoice.InvoiceId);
            return invoice;
        }
    }

    public static PaymentProcessed Payment(string tenant, InvoiceSynced invoice) =>
        new($"pay_{Guid.NewGuid():N}", tenant, PaymentMethod.Ach, invoice.Currency, invoice.Balance, 0.80m,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Balance)], DateTimeOffset.UtcNow);

    public async Task<JsonElement?> PaymentAsync(string tenant, Guid meshPaymentId)
    {
        using var response = await Writeback.GetAsync($"/tenants/{tenant}/payments/{meshPaymentId}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>(PaymentScenarioHarness.Json) : null;
    }

    public async Task<JsonElement> SettledAsync(string tenant, string paymentId, params string[] states)
    {
        var wanted = states.Length == 0 ? PaymentScenarioHarness.TerminalOrWaiting : states;
        var settled = await Eventually.Until(() => PaymentAsync(tenant, MeshIds.Payment(tenant, paymentId)),
            p => p is { } x && wanted.Contains(x.GetProperty("state").GetString()), $"payment {paymentId} of {tenant} to reach {string.Join("/", wanted)}",
            TimeSpan.FromSeconds(90));
        return settled!.Value;
    }

    public Task<JsonElement> XeroBooksAsync() => Xero.BooksAsync();

    public async Task<JsonElement> QuickBooksBooksAsync() => await Sandbox.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{Realm}/books");

    /// <summary>Publishes bytes to an exchange ("" and a queue name: straight to the queue), persistent, confirmed.</summary>
    public async Task PublishRawAsync(string exchange, string routingKey, byte[] body, string? contentType, string messageId,
        IDictionary<string, object?>? headers = null)
    {
        await using var channel = await _amqp.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties
        {
            ContentType = contentType,
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = messageId,
            Headers = headers,
        };
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body);
    }

    /// <summary>The message with <paramref name="messageId"/> in <paramref name="queue"/> (an _error or _skipped queue), once it is there.</summary>
    public async Task<ErrorMessage> MovedMessageAsync(string queue, string messageId, string what)
    {
        return (await Eventually.Until(async () =>
        {
            await DrainAsync(queue);
            lock (_errors)
            {
                return _errors.GetValueOrDefault(queue)?.GetValueOrDefault(messageId);
            }
        }, m => m is not null, what))!;
    }

    /// <summary>Every message moved to <paramref name="queue"/> so far.</summary>
    public async Task<IReadOnlyList<ErrorMessage>> MovedMessagesAsync(string queue)
    {
        await DrainAsync(queue);
        lock (_errors)
        {
            return [.. _errors.GetValueOrDefault(queue)?.Values ?? Enumerable.Empty<ErrorMessage>()];
        }
    }

    private async Task DrainAsync(string queue)
    {
        await using var channel = await _amqp.CreateChannelAsync();
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } got)
            {
                var headers = got.BasicProperties.Headers ?? new Dictionary<string, object?>();
                var reason = string.Join(" | ", headers.Where(h => h.Key.StartsWith("MT-", StringComparison.Ordinal))
                    .Select(h => $"{h.Key}={(h.Value is byte[] b ? Encoding.UTF8.GetString(b) : h.Value)}"));
                var body = Encoding.UTF8.GetString(got.Body.Span);
                var id = got.BasicProperties.MessageId ?? MessageIdInEnvelope(body);
                lock (_errors)
                {
                    if (!_errors.TryGetValue(queue, out var seen))
                    {
                        _errors[queue] = seen = [];
                    }

                    seen[id ?? Guid.NewGuid().ToString()] = new ErrorMessage(id, reason, body);
                }
            }
        }
        catch (OperationInterruptedException)
        {
            // The queue does not exist yet.
        }
    }

    private static string? MessageIdInEnvelope(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("messageId", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>PaymentEvents' exceptions entry for a message, once it is there.</summary>
    public async Task<ReconMesh.PaymentEvents.Payments.RejectedMessage> RejectedAsync(Guid messageId)
    {
        var store = _mesh.PaymentEvents.Services.GetRequiredService<IDocumentStore>();
        return (await Eventually.Until(async () =>
        {
            await using var session = store.QuerySession();
            return await session.LoadAsync<ReconMesh.PaymentEvents.Payments.RejectedMessage>(messageId);
        }, r => r is not null, $"an exceptions entry for message {messageId}"))!;
    }

    /// <summary>Every service still answers its readiness check: nothing the corpus sent brought one down.</summary>
    public async Task AssertAllReadyAsync()
    {
        foreach (var (name, host) in new[] { ("PaymentEvents", _mesh.PaymentEvents), ("WritebackService", _mesh.Writeback), ("InvoiceIngest", _mesh.InvoiceIngest) })
        {
            using var client = new HttpClient { BaseAddress = host.Address() };
            using var ready = await client.GetAsync("/health/ready");
            Assert.That(ready.IsSuccessStatusCode, Is.True, $"{name} is not ready: {(int)ready.StatusCode}");
        }
    }
}
