using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.InvoiceIngest;
using ReconMesh.PaymentEvents;
using ReconMesh.Sandbox;
using ReconMesh.WritebackService;

namespace ReconMesh.IntegrationTests.EndToEnd;

/// <summary>
/// The whole path once, with real parts: invoices created in the QuickBooks sandbox sync in through InvoiceIngest,
/// the platform reports a payment (three times, as an at-least-once platform may), PaymentEvents accepts it once,
/// and WritebackService books exactly one Payment linked to the invoice in the sandbox.
/// </summary>
[TestFixture]
public sealed class When_the_platform_pays_a_synced_QuickBooks_invoice
{
    private const string Realm = "9130000000000777";
    private const string Token = "e2e-token";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid _connection = Guid.NewGuid();
    private readonly SpanCollection _spans = [];
    private readonly List<WebApplication> _hosts = [];
    private TestServers _servers = null!;
    private HttpClient _sandbox = null!;
    private IBus _platformBus = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        var common = new Dictionary<string, string?>
        {
            ["ReconMesh:RabbitMq"] = _servers.RabbitMqUrl,
            ["ReconMesh:Postgres"] = _servers.Postgres,
        };

        var sandbox = await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), common);
        _hosts.Add(sandbox);
        _platformBus = sandbox.Services.GetRequiredService<IBus>();
        _sandbox = new HttpClient { BaseAddress = sandbox.Address() };
        (await _sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token })).EnsureSuccessStatusCode();
        (await _sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 2, invoices = 3, currency = "USD", seed = 7 }))
            .EnsureSuccessStatusCode();

        var withConnection = new Dictionary<string, string?>(common)
        {
            ["ReconMesh:Connections:0:Id"] = _connection.ToString(),
            ["ReconMesh:Connections:0:TenantId"] = _tenant,
            ["ReconMesh:Connections:0:Kind"] = "QuickBooksOnline",
            ["ReconMesh:Connections:0:BaseUrl"] = sandbox.Address().ToString(),
            ["ReconMesh:Connections:0:RealmId"] = Realm,
            ["ReconMesh:Connections:0:AccessToken"] = Token,
            ["ReconMesh:Connections:0:PollInterval"] = "00:00:01",
        };
        // Subscribers first: on a fresh broker, a queue receives only what is published after it is bound.
        _hosts.Add(await InProcessHost.StartAsync(b => b.AddPaymentEvents(), a => a.MapPaymentEvents(), common, _spans));
        _hosts.Add(await InProcessHost.StartAsync(b => b.AddWritebackService(), a => a.MapWritebackService(), withConnection));
        _hosts.Add(await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), withConnection));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }

        _sandbox.Dispose();
        await _servers.DisposeAsync();
    }

    [Test]
    public async Task Should_book_exactly_one_linked_payment_and_trace_it_across_services()
    {
        var invoices = await Eventually.Until(PlatformInvoicesAsync, i => i.Count == 3, "3 invoices synced to the platform");
        var invoice = invoices[0];
        using var sent = await _sandbox.PostAsJsonAsync("/platform/payments", new
        {
            tenantId = _tenant, method = "Ach", allocations = new[] { new { invoiceId = invoice.InvoiceId, amount = invoice.Balance } },
        }, Json);
        sent.EnsureSuccessStatusCode();
        var payment = (await sent.Content.ReadFromJsonAsync<PaymentProcessed>(Json))!;
        // An at-least-once platform may deliver the same payment again.
        await _platformBus.Publish(payment);
        await _platformBus.Publish(payment);

        var outcome = await Eventually.Until(
            async () => (await _sandbox.GetFromJsonAsync<JsonElement>($"/platform/payments?tenantId={_tenant}", Json))[0],
            p => p.GetProperty("outcome").GetString() != "sent", "the platform to hear the payment's outcome");
        Assert.That(outcome.GetProperty("outcome").GetString(), Is.EqualTo("written-back"), outcome.ToString());

        var books = await Eventually.Until(BooksAsync,
            b => b.GetProperty("invoices").EnumerateArray().Any(i => i.GetProperty("id").GetString() == invoice.ExternalId && i.GetProperty("balance").GetDecimal() == 0m),
            "the invoice's balance to reach 0 in the sandbox");

        var payments = books.GetProperty("payments").EnumerateArray()
            .Where(p => p.GetProperty("lines").EnumerateArray().Any(l => l.GetProperty("invoiceId").GetString() == invoice.ExternalId))
            .ToList();
        Assert.That(payments, Has.Count.EqualTo(1), "three deliveries of one PaymentProcessed must book one Payment");
        Assert.That(payments[0].GetProperty("totalAmt").GetDecimal(), Is.EqualTo(invoice.Balance));
        var others = books.GetProperty("invoices").EnumerateArray().Where(i => i.GetProperty("id").GetString() != invoice.ExternalId);
        Assert.That(others.Select(i => i.GetProperty("balance").GetDecimal()), Is.All.GreaterThan(0m), "unpaid invoices stay open");

        var accepted = _spans.Where(s => Mentions(s, "payment-events.platform")).Select(s => s.TraceId).ToHashSet();
        var reconciled = _spans.Where(s => Mentions(s, "writeback.payment-reconciliation")).Select(s => s.TraceId).ToHashSet();
        var writes = _spans.Where(s => s.Kind == ActivityKind.Client && s.DisplayName.StartsWith("POST", StringComparison.Ordinal)
            && Mentions(s, $"/v3/company/{Realm}/payment")).Select(s => s.TraceId).ToHashSet();
        Assert.That(accepted.Intersect(reconciled).Intersect(writes), Is.Not.Empty,
            "PaymentEvents consuming the PaymentProcessed, the saga in WritebackService and the POST of the QuickBooks Payment are one trace");
    }

    private static bool Mentions(Activity span, string endpoint) =>
        span.DisplayName.Contains(endpoint, StringComparison.Ordinal) ||
        span.TagObjects.Any(t => t.Value?.ToString()?.Contains(endpoint, StringComparison.Ordinal) == true);

    private async Task<List<InvoiceSynced>> PlatformInvoicesAsync() =>
        (await _sandbox.GetFromJsonAsync<List<InvoiceSynced>>($"/platform/invoices?tenantId={_tenant}", Json))!;

    private async Task<JsonElement> BooksAsync() =>
        await _sandbox.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{Realm}/books", Json);
}
