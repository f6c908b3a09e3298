using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.Contracts.Invoices;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.InvoiceIngest;
using ReconMesh.PaymentEvents;
using ReconMesh.Sandbox;
using ReconMesh.WritebackService;

namespace ReconMesh.IntegrationTests.Operations;

/// <summary>
/// The mesh as the EndToEnd test hosts it (sandbox with a seeded QuickBooks company, PaymentEvents, WritebackService,
/// InvoiceIngest, each composed as in its Program.cs, on a real broker and database), with each host reachable, for
/// what an operator or a connector team does to it from outside.
/// </summary>
public sealed class OperationsHarness : IAsyncDisposable
{
    public const string Token = "ops-token";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly List<WebApplication> _hosts = [];

    private OperationsHarness(string realm) => Realm = realm;

    public string Realm { get; }

    public string Tenant { get; } = $"tenant-{Guid.NewGuid():N}";

    public Guid ConnectionId { get; } = Guid.NewGuid();

    public TestServers Servers { get; private set; } = null!;

    public HttpClient Sandbox { get; private set; } = null!;

    public IBus PlatformBus { get; private set; } = null!;

    public WebApplication PaymentEvents { get; private set; } = null!;

    public WebApplication Writeback { get; private set; } = null!;

    public static async Task<OperationsHarness> StartAsync(string realm, int invoices)
    {
        var harness = new OperationsHarness(realm);
        try
        {
            await harness.StartInternalAsync(invoices);
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }

        return harness;
    }

    private async Task StartInternalAsync(int invoices)
    {
        Servers = await TestServers.StartAsync();
        var common = new Dictionary<string, string?> { ["ReconMesh:RabbitMq"] = Servers.RabbitMqUrl, ["ReconMesh:Postgres"] = Servers.Postgres };
        var sandbox = await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), common);
        _hosts.Add(sandbox);
        PlatformBus = sandbox.Services.GetRequiredService<IBus>();
        Sandbox = new HttpClient { BaseAddress = sandbox.Address() };
        (await Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token })).EnsureSuccessStatusCode();
        (await Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 2, invoices, currency = "USD", seed = 11 }))
            .EnsureSuccessStatusCode();

        var withConnection = new Dictionary<string, string?>(common)
        {
            ["ReconMesh:Connections:0:Id"] = ConnectionId.ToString(),
            ["ReconMesh:Connections:0:TenantId"] = Tenant,
            ["ReconMesh:Connections:0:Kind"] = "QuickBooksOnline",
            ["ReconMesh:Connections:0:BaseUrl"] = sandbox.Address().ToString(),
            ["ReconMesh:Connections:0:RealmId"] = Realm,
            ["ReconMesh:Connections:0:AccessToken"] = Token,
            ["ReconMesh:Connections:0:PollInterval"] = "00:00:01",
        };
        // Subscribers first: on a fresh broker, a queue receives only what is published after it is bound.
        PaymentEvents = await InProcessHost.StartAsync(b => b.AddPaymentEvents(), a => a.MapPaymentEvents(), common);
        _hosts.Add(PaymentEvents);
        Writeback = await InProcessHost.StartAsync(b => b.AddWritebackService(), a => a.MapWritebackService(), withConnection);
        _hosts.Add(Writeback);
        _hosts.Add(await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), withConnection));
        await Eventually.Until(PlatformInvoicesAsync, i => i.Count >= invoices, $"{invoices} invoices to sync to the platform");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }

        Sandbox?.Dispose();
        if (Servers is not null)
        {
            await Servers.DisposeAsync();
        }
    }

    public async Task<List<InvoiceSynced>> PlatformInvoicesAsync() =>
        (await Sandbox.GetFromJsonAsync<List<InvoiceSynced>>($"/platform/invoices?tenantId={Tenant}", Json))!;

    public async Task<JsonElement> BooksAsync() => await Sandbox.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{Realm}/books", Json);

    /// <summary>Waits until the invoice's balance is 0 in the sandbox's books and returns the books.</summary>
    public Task<JsonElement> PaidInBooksAsync(string externalId) =>
        Eventually.Until(BooksAsync,
            b => b.GetProperty("invoices").EnumerateArray().Any(i => i.GetProperty("id").GetString() == externalId && i.GetProperty("balance").GetDecimal() == 0m),
            $"invoice {externalId}'s balance to reach 0 in the sandbox", TimeSpan.FromSeconds(90));

    public static List<JsonElement> PaymentsFor(JsonElement books, string externalId) =>
        [.. books.GetProperty("payments").EnumerateArray()
            .Where(p => p.GetProperty("lines").EnumerateArray().Any(l => l.GetProperty("invoiceId").GetString() == externalId))];
}
