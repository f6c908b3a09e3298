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

    /// <summary>
    /// Starts the mesh on a seeded organisation. With <paramref name="recordDeposits"/>, payments go to a BANK clearing
    /// account of the platform's (<see cref="XeroSandbox.PlatformClearingAccount"/>) and payouts are recorded: transferred
    /// to the business bank account (090), their fees spent to Bank Fees (404).
    /// </summary>
    public static async Task<XeroScenarioHarness> StartAsync(int invoices, bool recordDeposits = false)
    {
        var harness = new XeroScenarioHarness();
        await harness.StartInternalAsync(invoices, recordDeposits);
        return harness;
    }

    private async Task StartInternalAsync(int invoices, bool recordDeposits)
    {
        _mesh = await Mesh.StartSandboxAsync();
        Sandbox = _mesh.Sandbox;
        PlatformBus = _mesh.PlatformBus;
        Xero = await XeroSandbox.CreateAsync(Sandbox, _mesh.SandboxHost.Address());
        await Xero.SeedAsync(contacts: 5, invoices, seed: 5);
        var connection = Xero.Connection(ConnectionId, Tenant, "00:00:00.500");
        if (recordDeposits)
        {
            connection = await Xero.WithDepositsAsync(connection);
        }

        await _mesh.StartServicesAsync(connection);
        Writeback = TestAuth.Operator(_mesh.Writeback.Address(), Tenant);
        await UntilInvoicesSyncedAsync(_mesh.Writeback, invoices);
    }

    public async ValueTask DisposeAsync()
    {
        Writeback?.Dispose();
        await _mesh.DisposeAsync();
    }

    public Task<JsonElement> BooksAsync() => Xero.BooksAsync();
}
