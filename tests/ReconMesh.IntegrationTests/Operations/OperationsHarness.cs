using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using ReconMesh.Contracts.Invoices;
using ReconMesh.IntegrationTests.Infrastructure;

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

    private Mesh? _mesh;

    private OperationsHarness(string realm) => Realm = realm;

    public string Realm { get; }

    public string Tenant { get; } = $"tenant-{Guid.NewGuid():N}";

    public Guid ConnectionId { get; } = Guid.NewGuid();

    public TestServers Servers => _mesh!.Servers;

    public HttpClient Sandbox { get; private set; } = null!;

    public IBus PlatformBus { get; private set; } = null!;

    public WebApplication PaymentEvents => _mesh!.PaymentEvents;

    public WebApplication Writeback => _mesh!.Writeback;

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
        _mesh = await Mesh.StartSandboxAsync();
        Sandbox = _mesh.Sandbox;
        PlatformBus = _mesh.PlatformBus;
        (await Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token })).EnsureSuccessStatusCode();
        (await Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 2, invoices, currency = "USD", seed = 11 }))
            .EnsureSuccessStatusCode();
        await _mesh.StartServicesAsync(_mesh.QuickBooksConnection(ConnectionId, Tenant, Realm, Token, "00:00:01"));
        await Eventually.Until(PlatformInvoicesAsync, i => i.Count >= invoices, $"{invoices} invoices to sync to the platform");
    }

    public async ValueTask DisposeAsync()
    {
        if (_mesh is not null)
        {
            await _mesh.DisposeAsync();
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
