using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.InvoiceIngest;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// The mesh starts with no connection configured, only a secret (<c>ReconMesh:Secrets:acme-books:AccessToken</c>).
/// A tenant adds a QuickBooks connection with <c>POST /tenants/{t}/connections</c>, naming that secret: its initial
/// sync starts at once, WritebackService learns of it from the bus and writes a payment to it, a second InvoiceIngest
/// replica started afterwards knows it from the store, and the secret never appears in an answer. Requests that
/// cannot be honoured (malformed, a secret the deployment lacks, another tenant's QuickBooks company, a wrong
/// pairing, a repeat with other settings) are refused with a problem body and add nothing.
/// </summary>
[TestFixture]
public sealed class When_a_tenant_adds_a_connection_through_the_API
{
    private const string Realm = "9130000000000777";
    private const string Token = "acme-books-oauth-token-not-to-be-shown";
    private const int SeededInvoices = 12;
    private static readonly JsonSerializerOptions Json = PaymentScenarioHarness.Json;

    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly string _intruder = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid _connectionId = Guid.NewGuid();
    private Mesh _mesh = null!;
    private HttpClient _ingest = null!;
    private Dictionary<string, string?> _secrets = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await Mesh.StartSandboxAsync();
        (await _mesh.Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token })).EnsureSuccessStatusCode();
        (await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 3, invoices = SeededInvoices, currency = "USD", seed = 7 }))
            .EnsureSuccessStatusCode();
        _secrets = new Dictionary<string, string?>
        {
            ["ReconMesh:Secrets:acme-books:AccessToken"] = Token,
            ["ReconMesh:Secrets:acme-books:TenantId"] = _tenant,
            ["ReconMesh:Secrets:acme-psa:PrivateKey"] = "acme-psa-private-key",
            ["ReconMesh:Secrets:acme-psa:TenantId"] = _tenant,
            ["ReconMesh:Secrets:intruder-books:AccessToken"] = "the-intruders-own-token",
            ["ReconMesh:Secrets:intruder-books:TenantId"] = _intruder,
            ["ReconMesh:ConnectionRegistry:RefreshInterval"] = "00:00:00.500",
        };
        await _mesh.StartServicesAsync(_secrets);
        _ingest = TestAuth.Operator(_mesh.InvoiceIngest.Address(), _tenant);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _ingest.Dispose();
        await _mesh.DisposeAsync();
    }

    private object Request(Guid? id = null, string? realm = Realm, string? secret = "acme-books", string? baseUrl = null, string? depositAccountId = "35",
        Guid? secondaryConnectionId = null) => new
    {
        id = id ?? _connectionId,
        kind = "QuickBooksOnline",
        baseUrl = baseUrl ?? _mesh.SandboxHost.Address().ToString(),
        realmId = realm,
        credentialsSecret = secret,
        depositAccountId,
        pollInterval = "00:00:00.500",
        secondaryConnectionId,
    };

    [Test, Order(1)]
    public async Task Should_refuse_a_malformed_request_naming_each_problem()
    {
        using var response = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", Request(realm: "not-a-realm", baseUrl: "ftp://books", secret: "no spaces"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.SupersetOf(new[] { "RealmId", "BaseUrl", "CredentialsSecret" }), problem.ToString());
        Assert.That(await ListAsync(_tenant), Is.Empty);
    }

    [Test, Order(2)]
    public async Task Should_refuse_a_secret_the_deployment_does_not_have()
    {
        using var response = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", Request(secret: "someone-elses-books"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").GetProperty("credentialsSecret")[0].GetString(),
            Does.Contain("ReconMesh:Secrets:someone-elses-books:AccessToken"));
        Assert.That(await ListAsync(_tenant), Is.Empty);
    }

    [Test, Order(3)]
    public async Task Should_add_it_and_start_its_initial_sync_at_once()
    {
        var requestedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var response = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", Request());
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/tenants/{_tenant}/connections/{_connectionId}"));
        Assert.That(body, Does.Not.Contain(Token), "the secret's value is never shown");
        var view = JsonSerializer.Deserialize<JsonElement>(body);
        var settings = view.GetProperty("settings");
        Assert.That(settings.GetProperty("source").GetString(), Is.EqualTo("api"));
        Assert.That(settings.GetProperty("credentialsSecret").GetString(), Is.EqualTo("acme-books"));
        Assert.That(settings.GetProperty("credentialsAvailable").GetBoolean(), Is.True);

        var invoices = await Eventually.Until(() => InvoicesAsync(_tenant), i => i.GetArrayLength() >= SeededInvoices, "the connection's open invoices to sync in");
        Assert.That(invoices.EnumerateArray().Select(i => i.GetProperty("connectionId").GetGuid()).Distinct(), Is.EqualTo(new[] { _connectionId }));
        await Eventually.Until(() => ListAsync(_tenant), l => l is [{ } c] && c.GetProperty("initialSyncComplete").GetBoolean(), "the initial sync to complete");

        // What ./run bench times an initial sync by: the platform simulator's count of the tenant's invoices, and when it
        // first heard of the latest of them.
        var heard = await Eventually.Until(() => _mesh.Sandbox.GetFromJsonAsync<JsonElement>($"/platform/invoices/progress?tenantId={_tenant}", Json),
            p => p.GetProperty("invoices").GetInt32() >= SeededInvoices, "the platform to hear of every open invoice");
        Assert.That(heard.GetProperty("invoices").GetInt32(), Is.EqualTo(invoices.GetArrayLength()), "each invoice counted once");
        Assert.That(heard.GetProperty("lastFirstHeardAtMs").GetInt64(), Is.InRange(requestedMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    [Test, Order(4)]
    public async Task Should_answer_a_repeated_request_with_the_same_connection_and_refuse_one_with_other_settings()
    {
        using var repeated = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", Request());
        Assert.That(repeated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await repeated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), Is.EqualTo(_connectionId));

        using var changed = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", Request(depositAccountId: "36"));
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await changed.Content.ReadAsStringAsync());
        Assert.That(await ListAsync(_tenant), Has.Count.EqualTo(1));
    }

    [Test, Order(5)]
    public async Task Should_refuse_another_tenant_the_same_QuickBooks_company_or_the_first_tenants_secret()
    {
        // The intruder calls with a token of its own tenant: the API is open to it, its data is its own.
        using var intruder = TestAuth.Operator(_mesh.InvoiceIngest.Address(), _intruder);
        using var sameCompany = await intruder.PostAsJsonAsync($"/tenants/{_intruder}/connections", Request(id: Guid.NewGuid(), secret: "intruder-books"));
        var conflict = await sameCompany.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(sameCompany.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), conflict.ToString());
        Assert.That(conflict.GetProperty("detail").GetString(), Does.Contain($"QuickBooks company {Realm}").And.Not.Contain(_tenant));

        // The first tenant's secret, pointed at a server of the intruder's choosing, is not the intruder's to use.
        using var borrowed = await intruder.PostAsJsonAsync($"/tenants/{_intruder}/connections",
            Request(id: Guid.NewGuid(), realm: "9130000000000778", baseUrl: "http://127.0.0.1:9/"));
        var problem = await borrowed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(borrowed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), problem.ToString());
        Assert.That(problem.GetProperty("errors").GetProperty("credentialsSecret")[0].GetString(), Does.Contain($"not assigned to tenant {_intruder}"));

        Assert.That(await ListAsync(_intruder, intruder), Is.Empty);
        Assert.That((await InvoicesAsync(_intruder, intruder)).GetArrayLength(), Is.Zero);
    }

    [Test, Order(6)]
    public async Task Should_refuse_a_pairing_with_a_connection_that_is_not_a_secondary()
    {
        using var response = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", new
        {
            kind = "ConnectWisePsa", baseUrl = _mesh.SandboxHost.Address().ToString(), companyId = "acme", publicKey = "pub", clientId = Guid.NewGuid().ToString(),
            credentialsSecret = "acme-psa", secondaryConnectionId = _connectionId,
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), problem.ToString());
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Has.Member("secondaryConnectionId"));
        Assert.That(problem.GetProperty("errors").GetProperty("secondaryConnectionId")[0].GetString(), Does.Contain("isSecondary"));
        Assert.That(await ListAsync(_tenant), Has.Count.EqualTo(1));
    }

    [Test, Order(7)]
    public async Task Should_write_a_payment_back_through_it()
    {
        // The platform learns of the invoices from the bus, a moment after InvoiceIngest holds them.
        var invoices = await Eventually.Until(
            async () => (await _mesh.Sandbox.GetFromJsonAsync<List<Contracts.Invoices.InvoiceSynced>>($"/platform/invoices?tenantId={_tenant}", Json))!,
            i => i.Any(x => x.Balance > 0), "the platform to hear of the connection's open invoices");
        var invoice = invoices.First(i => i.Balance > 0);
        var payment = new PaymentProcessed($"pay_{Guid.NewGuid():N}", _tenant, PaymentMethod.Ach, "USD", invoice.Balance, 0.80m,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Balance)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(payment);

        using var writeback = TestAuth.Operator(_mesh.Writeback.Address(), _tenant);
        var meshId = EventSourcing.Identity.MeshIds.Payment(_tenant, payment.PaymentId);
        var settled = await Eventually.Until(async () =>
        {
            using var response = await writeback.GetAsync($"/tenants/{_tenant}/payments/{meshId}");
            return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString() : null;
        }, s => s is "Applied" or "NeedsAttention", "the payment to be written back");

        Assert.That(settled, Is.EqualTo("Applied"), "WritebackService knows the connection only from the ConnectionAdded message");
        var books = await _mesh.Sandbox.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{Realm}/books");
        Assert.That(PaymentScenarioHarness.LivePaymentsFor(books, invoice.ExternalId), Has.Count.EqualTo(1));
    }

    [Test, Order(8)]
    public async Task Should_be_known_to_a_replica_started_afterwards()
    {
        var settings = new Dictionary<string, string?>(_mesh.Common);
        foreach (var (key, value) in _secrets)
        {
            settings[key] = value;
        }

        var replica = await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), settings);
        try
        {
            using var client = TestAuth.Operator(replica.Address(), _tenant);
            var listed = await ListAsync(_tenant, client);
            Assert.That(listed.Select(c => c.GetProperty("id").GetGuid()), Is.EqualTo(new[] { _connectionId }));
            Assert.That(listed[0].GetProperty("initialSyncComplete").GetBoolean(), Is.True, "the sync's cursor is shared, not restarted");
        }
        finally
        {
            await replica.StopAsync();
            await replica.DisposeAsync();
        }
    }

    /// <summary>A connection added through the API has a stream of its own: a replay announces it too, before its invoices.</summary>
    [Test, Order(9)]
    public async Task Should_be_announced_again_with_its_invoices_when_replayed()
    {
        using var response = await _ingest.PostAsync($"/tenants/{_tenant}/connections/{_connectionId}/replay", null);
        var counted = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), counted.ToString());
        Assert.That(counted.GetProperty("invoices").GetInt32(), Is.EqualTo((await InvoicesAsync(_tenant)).GetArrayLength()));
        // ConnectionAdded; the invoices combined a hundred to a message (InvoicesSynced) and, by default, each alone too
        // (InvoiceSynced, for consumers of the older contract); a message per billing contact.
        var invoices = counted.GetProperty("invoices").GetInt32();
        var invoiceMessages = (invoices + Contracts.Invoices.InvoicesSynced.MaxInvoices - 1) / Contracts.Invoices.InvoicesSynced.MaxInvoices + invoices;
        Assert.That(counted.GetProperty("messages").GetInt32(),
            Is.EqualTo(1 + invoiceMessages + counted.GetProperty("billingContacts").GetInt32()), "ConnectionAdded, then the invoices, then each contact");
    }

    private async Task<List<JsonElement>> ListAsync(string tenant, HttpClient? client = null) =>
        (await (client ?? _ingest).GetFromJsonAsync<List<JsonElement>>($"/tenants/{tenant}/connections"))!;

    private async Task<JsonElement> InvoicesAsync(string tenant, HttpClient? client = null) =>
        await (client ?? _ingest).GetFromJsonAsync<JsonElement>($"/tenants/{tenant}/invoices");
}
