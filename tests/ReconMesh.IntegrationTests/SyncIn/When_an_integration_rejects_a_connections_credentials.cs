using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.InvoiceIngest;
using ReconMesh.InvoiceIngest.Api;
using ReconMesh.InvoiceIngest.Connections;
using ReconMesh.Sandbox;
using static ReconMesh.IntegrationTests.Payments.ConnectWiseSandbox;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// A ConnectWise connection whose private key is wrong, next to a healthy one of the same tenant: the first is paused
/// with a clear status on <c>GET /tenants/{t}/connections</c> and stops asking PSA (while the healthy one keeps
/// syncing), tries once more when an operator resumes it, and syncs by itself once a host runs with the right key.
/// </summary>
[TestFixture]
public sealed class When_an_integration_rejects_a_connections_credentials
{
    private const int SeededInvoices = 5;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid _rejected = Guid.NewGuid();
    private readonly Guid _healthy = Guid.NewGuid();
    private TestServers _servers = null!;
    private WebApplication _sandboxHost = null!;
    private WebApplication? _ingestHost;
    private HttpClient _sandbox = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _sandboxHost = await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), new Dictionary<string, string?>());
        _sandbox = new HttpClient { BaseAddress = _sandboxHost.Address() };
        (await _sandbox.PostAsJsonAsync($"/admin/cw/sites/{CompanyId}/seed", new { companies = 2, invoices = SeededInvoices, currency = "USD", seed = 5 }))
            .EnsureSuccessStatusCode();
        await StartIngestAsync(privateKey: "an-old-key-revoked-in-psa");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await StopIngestAsync();
        await _sandboxHost.StopAsync();
        await _sandboxHost.DisposeAsync();
        _sandbox.Dispose();
        await _servers.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task Should_pause_the_connection_with_a_clear_status()
    {
        var rejected = await Eventually.Until(() => ConnectionAsync(_rejected), c => c.Status == ConnectionStatus.CredentialsRejected, "the connection to be paused");

        Assert.That(rejected.Reason, Does.Contain("ConnectWisePsa rejected the connection's credentials").And.Contain("401"));
        Assert.That(rejected.Reason, Does.Not.Contain("an-old-key-revoked-in-psa"));
        Assert.That(rejected.InitialSyncComplete, Is.False);
        Assert.That((await ConnectionAsync(_healthy)).Status, Is.EqualTo(ConnectionStatus.Active));
    }

    [Test, Order(2)]
    public async Task Should_stop_asking_the_integration_while_the_healthy_connection_keeps_syncing()
    {
        var refused = await RefusedAsync();
        var attempts = (await ConnectionAsync(_rejected)).RejectedAttempts;

        // Ten passes of the healthy connection (polled every 200 ms) span several of the paused one's poll intervals.
        var seen = new HashSet<DateTimeOffset?>();
        await Eventually.Until(async () => seen.Add((await ConnectionAsync(_healthy)).LastSyncAt) ? seen.Count : seen.Count, n => n >= 10,
            "ten passes of the healthy connection");

        Assert.That(await RefusedAsync(), Is.EqualTo(refused), "requests with the rejected keys");
        Assert.That((await ConnectionAsync(_rejected)).RejectedAttempts, Is.EqualTo(attempts));
    }

    [Test, Order(3)]
    public async Task Should_try_once_more_when_an_operator_resumes_it()
    {
        var refused = await RefusedAsync();
        var before = await ConnectionAsync(_rejected);

        using var ingest = Ingest();
        using var resumed = await ingest.PostAsync($"/tenants/{_tenant}/connections/{_rejected}/resume", null);
        resumed.EnsureSuccessStatusCode();
        var again = await Eventually.Until(() => ConnectionAsync(_rejected), c => c.Status == ConnectionStatus.CredentialsRejected && c.StatusSince > before.StatusSince,
            "the resumed connection to be refused again");

        Assert.That(await RefusedAsync(), Is.GreaterThan(refused));
        Assert.That(again.RejectedAttempts, Is.EqualTo(1));
    }

    [Test, Order(4)]
    public async Task Should_answer_not_found_for_another_tenants_connection()
    {
        using var ingest = Ingest();
        // The other tenant asks with a token of its own: past the tenant gate, the connection is still not its.
        using var stranger = TestAuth.Operator(_ingestHost!.Address(), "someone-else");
        using var other = await stranger.GetAsync($"/tenants/someone-else/connections/{_rejected}");
        using var unknown = await ingest.PostAsync($"/tenants/{_tenant}/connections/{Guid.NewGuid()}/resume", null);

        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(other.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await stranger.GetFromJsonAsync<List<JsonElement>>("/tenants/someone-else/connections"), Is.Empty);
    }

    [Test, Order(5)]
    public async Task Should_sync_by_itself_once_the_credentials_are_replaced()
    {
        await StopIngestAsync();
        await StartIngestAsync(PrivateKey);

        var active = await Eventually.Until(() => ConnectionAsync(_rejected), c => c.InitialSyncComplete, "the initial sync with the right key");

        Assert.That(active.Status, Is.EqualTo(ConnectionStatus.Active));
        Assert.That(active.RejectedAttempts, Is.Zero);
        using var ingest = Ingest();
        var invoices = await ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_tenant}/invoices?pageSize=1000", Json);
        Assert.That(invoices!.Count(i => i.GetProperty("connectionId").GetGuid() == _rejected), Is.EqualTo(SeededInvoices));
    }

    private async Task StartIngestAsync(string privateKey)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ReconMesh:RabbitMq"] = _servers.RabbitMqUrl,
            ["ReconMesh:Postgres"] = _servers.Postgres,
        };
        var index = 0;
        foreach (var (id, key) in new[] { (_rejected, privateKey), (_healthy, PrivateKey) })
        {
            foreach (var (name, value) in Connection(id, _tenant, _sandboxHost.Address(), "00:00:00.200"))
            {
                settings[name.Replace(":0:", $":{index}:", StringComparison.Ordinal)] = value;
            }

            settings[$"ReconMesh:Connections:{index}:PrivateKey"] = key;
            index++;
        }

        _ingestHost = await InProcessHost.StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), settings);
    }

    private async Task StopIngestAsync()
    {
        if (_ingestHost is not null)
        {
            await _ingestHost.StopAsync();
            await _ingestHost.DisposeAsync();
            _ingestHost = null;
        }
    }

    /// <summary>A client of the host running now (hosts come and go in this fixture).</summary>
    private HttpClient Ingest() => TestAuth.Operator(_ingestHost!.Address(), _tenant);

    private async Task<ConnectionsApi.ConnectionView> ConnectionAsync(Guid id)
    {
        using var ingest = Ingest();
        return (await ingest.GetFromJsonAsync<List<ConnectionsApi.ConnectionView>>($"/tenants/{_tenant}/connections", Json))!.Single(c => c.Id == id);
    }

    private async Task<long> RefusedAsync() => (await BooksAsync(_sandbox)).GetProperty("rejectedCount").GetInt64();
}
