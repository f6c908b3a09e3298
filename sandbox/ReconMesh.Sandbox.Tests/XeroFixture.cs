namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// What the Xero simulator's test fixtures share: one host (limits off) per fixture on a clock the tests move by hand,
/// and an organisation with one invoice to pay.
/// </summary>
public abstract class XeroFixture
{
    private XeroSandboxHost? _host;

    internal ConnectWiseManualClock Clock { get; } = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));

    internal XeroSandboxHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    /// <summary>Settings of the fixture's host beyond the limits being off.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    [OneTimeSetUp]
    public async Task StartHostAsync() => _host = await XeroSandboxHost.StartAsync(Settings, time: Clock);

    [OneTimeTearDown]
    public async Task StopHostAsync() => await Host.DisposeAsync();

    /// <summary>A fresh organisation with a contact and an AUTHORISED invoice of <paramref name="amount"/> to 200 Sales.</summary>
    internal async Task<(XeroTestClient Client, string InvoiceId)> InvoiceAsync(decimal amount)
    {
        var client = await Host.NewOrganisationAsync();
        var contactId = await client.AddContactAsync(Host, "Acme");
        var (invoiceId, _) = await client.AddInvoiceAsync(Host, contactId, amount);
        return (client, invoiceId);
    }
}
