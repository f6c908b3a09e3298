using System.Text.Json;
using ReconMesh.IntegrationTests.Infrastructure;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// The mesh as it runs (sandbox, PaymentEvents, WritebackService, InvoiceIngest) on a real RabbitMQ and PostgreSQL,
/// with one tenant connected to a seeded organisation of the Xero simulator, payments recorded into its clearing
/// account (<see cref="XeroSandbox.ClearingAccount"/>).
/// </summary>
public sealed class XeroScenarioHarness : PlatformScenario, IAsyncDisposable
{
    private Mesh _mesh = null!;

    public XeroSandbox Xero { get; private set; } = null!;

    public static async Task<XeroScenarioHarness> StartAsync(int invoices)
    {
        var harness = new XeroScenarioHarness();
        await harness.StartInternalAsync(invoices);
        return harness;
    }

    private async Task StartInternalAsync(int invoices)
    {
        _mesh = await Mesh.StartSandboxAsync();
        Sandbox = _mesh.Sandbox;
        PlatformBus = _mesh.PlatformBus;
        Xero = await XeroSandbox.CreateAsync(Sandbox, _mesh.SandboxHost.Address());
        await Xero.SeedAsync(contacts: 5, invoices, seed: 5);
        await _mesh.StartServicesAsync(Xero.Connection(ConnectionId, Tenant, "00:00:00.500"));
        Writeback = TestAuth.Operator(_mesh.Writeback.Address(), Tenant);
        await Eventually.Until(PlatformInvoicesAsync, i => i.Count >= invoices, "the seeded invoices to sync");
    }

    public async ValueTask DisposeAsync()
    {
        Writeback?.Dispose();
        await _mesh.DisposeAsync();
    }

    public Task<JsonElement> BooksAsync() => Xero.BooksAsync();
}
