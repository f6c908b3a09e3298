using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// A Xero organisation connected through the same connections API as QuickBooks: the mesh starts with only a secret
/// (the access token, assigned to the tenant); the request names the organisation (its tenant id) and the clearing
/// account payments go to. Its initial sync starts at once, WritebackService learns of it from the bus and writes a
/// payment to it, and the same organisation cannot be connected twice. Other organisations added as secondaries are
/// taken as the books of a ConnectWise connection and of an Autotask connection.
/// </summary>
[TestFixture]
public sealed class When_a_tenant_adds_a_Xero_connection_through_the_API
{
    private const int SeededInvoices = 8;

    private readonly Guid _connectionId = Guid.NewGuid();
    private readonly PlatformTenant _platform = new();
    private Mesh _mesh = null!;
    private XeroSandbox _xero = null!;
    private AutotaskSandbox _autotask = null!;
    private HttpClient _ingest = null!;

    /// <summary>The scenario's tenant, paying on the platform's bus.</summary>
    private sealed class PlatformTenant : PlatformScenario
    {
        public void Attach(Mesh mesh)
        {
            Sandbox = mesh.Sandbox;
            PlatformBus = mesh.PlatformBus;
            Writeback = TestAuth.Operator(mesh.Writeback.Address(), Tenant);
        }
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await Mesh.StartSandboxAsync();
        _xero = await XeroSandbox.CreateAsync(_mesh.Sandbox, _mesh.SandboxHost.Address());
        await _xero.SeedAsync(contacts: 3, invoices: SeededInvoices, seed: 7);
        _autotask = await AutotaskSandbox.CreateAsync(_mesh.Sandbox);
        await _mesh.StartServicesAsync(new Dictionary<string, string?>
        {
            ["ReconMesh:Secrets:acme-autotask:Secret"] = _autotask.Secret,
            ["ReconMesh:Secrets:acme-autotask:TenantId"] = _platform.Tenant,
            ["ReconMesh:Secrets:acme-xero:AccessToken"] = _xero.Token,
            ["ReconMesh:Secrets:acme-xero:TenantId"] = _platform.Tenant,
            ["ReconMesh:Secrets:acme-books-xero:AccessToken"] = "books-token",
            ["ReconMesh:Secrets:acme-books-xero:TenantId"] = _platform.Tenant,
            ["ReconMesh:Secrets:acme-psa:PrivateKey"] = ConnectWiseSandbox.PrivateKey,
            ["ReconMesh:Secrets:acme-psa:TenantId"] = _platform.Tenant,
        });
        _platform.Attach(_mesh);
        _ingest = TestAuth.Operator(_mesh.InvoiceIngest.Address(), _platform.Tenant);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _ingest.Dispose();
        _platform.Writeback.Dispose();
        await _mesh.DisposeAsync();
    }

    private object Request(Guid? id = null, string? paymentsAccountId = XeroSandbox.ClearingAccount) => new
    {
        id = id ?? _connectionId,
        kind = "Xero",
        baseUrl = _mesh.SandboxHost.Address().ToString(),
        // As Xero's connections endpoint lists it; one organisation is one account however its GUID is written.
        xeroTenantId = _xero.TenantId.ToString("D").ToUpperInvariant(),
        credentialsSecret = "acme-xero",
        paymentsAccountId,
        pollInterval = "00:00:00.500",
        requestsPerMinute = 100_000,
        maxConcurrent = 20,
    };

    [Test, Order(1)]
    public async Task Should_refuse_it_without_the_clearing_account()
    {
        using var response = await _ingest.PostAsJsonAsync($"/tenants/{_platform.Tenant}/connections", Request(paymentsAccountId: null));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), problem.ToString());
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.EqualTo(new[] { "PaymentsAccountId" }));
    }

    [Test, Order(2)]
    public async Task Should_add_it_and_sync_its_open_invoices_at_once()
    {
        using var response = await _ingest.PostAsJsonAsync($"/tenants/{_platform.Tenant}/connections", Request());
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        Assert.That(body, Does.Not.Contain(_xero.Token), "the secret's value is never shown");
        var settings = JsonSerializer.Deserialize<JsonElement>(body).GetProperty("settings");
        Assert.That(settings.GetProperty("xeroTenantId").GetString(), Is.EqualTo(_xero.TenantId.ToString("D")));
        Assert.That(settings.GetProperty("paymentsAccountId").GetString(), Is.EqualTo(XeroSandbox.ClearingAccount));
        Assert.That(settings.GetProperty("credentialsAvailable").GetBoolean(), Is.True);
        await Eventually.Until(_platform.PlatformInvoicesAsync, i => i.Count >= SeededInvoices, "the organisation's open invoices to reach the platform");
    }

    [Test, Order(3)]
    public async Task Should_refuse_the_same_organisation_under_another_id()
    {
        using var response = await _ingest.PostAsJsonAsync($"/tenants/{_platform.Tenant}/connections", Request(id: Guid.NewGuid()));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), problem.ToString());
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain($"Xero organisation {_xero.TenantId:D}"));
    }

    [Test, Order(4)]
    public async Task Should_write_a_payment_back_through_it()
    {
        var invoice = await _platform.TakeInvoiceAsync();

        var settled = await _platform.SettledAsync(await _platform.PayAsync((invoice.InvoiceId, invoice.Total)));

        Assert.That(settled.GetProperty("state").GetString(), Is.EqualTo("Applied"), "WritebackService knows the connection only from the ConnectionAdded message");
        Assert.That(XeroSandbox.PaymentsFor(await _xero.BooksAsync(), invoice.ExternalId), Has.Count.EqualTo(1));
    }

    [Test, Order(5)]
    public async Task Should_take_another_organisation_as_the_books_of_a_ConnectWise_connection()
    {
        var secondaryId = await AddSecondaryOrganisationAsync();

        using var psa = await _ingest.PostAsJsonAsync($"/tenants/{_platform.Tenant}/connections", new
        {
            kind = "ConnectWisePsa", baseUrl = _mesh.SandboxHost.Address().ToString(), companyId = ConnectWiseSandbox.CompanyId,
            publicKey = ConnectWiseSandbox.PublicKey, clientId = ConnectWiseSandbox.ClientId, credentialsSecret = "acme-psa",
            secondaryConnectionId = secondaryId,
        });
        var body = await psa.Content.ReadAsStringAsync();

        Assert.That(psa.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        Assert.That(JsonSerializer.Deserialize<JsonElement>(body).GetProperty("settings").GetProperty("secondaryConnectionId").GetGuid(), Is.EqualTo(secondaryId));
    }

    /// <summary>Another organisation (the same token reaches it), added as a secondary; its connection id.</summary>
    private async Task<Guid> AddSecondaryOrganisationAsync()
    {
        var books = await XeroSandbox.CreateAsync(_mesh.Sandbox, _mesh.SandboxHost.Address());
        (await _mesh.Sandbox.PostAsJsonAsync(books.AdminPath("connections"), new { accessToken = "books-token" })).EnsureSuccessStatusCode();
        var secondaryId = Guid.NewGuid();
        using var secondary = await _ingest.PostAsJsonAsync($"/tenants/{_platform.Tenant}/connections", new
        {
            id = secondaryId, kind = "Xero", baseUrl = _mesh.SandboxHost.Address().ToString(), xeroTenantId = books.TenantId.ToString(),
            credentialsSecret = "acme-books-xero", paymentsAccountId = XeroSandbox.ClearingAccount, isSecondary = true,
        });
        Assert.That(secondary.StatusCode, Is.EqualTo(HttpStatusCode.Created), await secondary.Content.ReadAsStringAsync());
        return secondaryId;
    }

    [Test, Order(6)]
    public async Task Should_take_another_organisation_as_the_books_of_an_Autotask_connection()
    {
        var secondaryId = await AddSecondaryOrganisationAsync();

        using var psa = await _ingest.PostAsJsonAsync($"/tenants/{_platform.Tenant}/connections", new
        {
            kind = "AutotaskPsa", baseUrl = _mesh.SandboxHost.Address().ToString(), userName = _autotask.UserName, integrationCode = _autotask.IntegrationCode,
            credentialsSecret = "acme-autotask", secondaryConnectionId = secondaryId,
        });
        var body = await psa.Content.ReadAsStringAsync();

        Assert.That(psa.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        Assert.That(JsonSerializer.Deserialize<JsonElement>(body).GetProperty("settings").GetProperty("secondaryConnectionId").GetGuid(), Is.EqualTo(secondaryId));
    }
}
