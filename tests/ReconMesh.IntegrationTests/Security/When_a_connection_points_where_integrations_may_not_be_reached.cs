using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.Integrations.Http;

namespace ReconMesh.IntegrationTests.Security;

/// <summary>
/// Server-side request forgery: a connection's base URL is where ReconMesh sends the tenant's credentials and whose
/// answers it reads. Here the services allow, by host name, every address the cases use (localhost, 127.0.0.1,
/// 127.0.0.2, 10.0.0.1, 169.254.169.254), so each refusal below is the address check after resolution; and they allow
/// one private range, 127.0.0.2/32, where a test integration answers. 127.0.0.1 is not allowed (loopback, as in any
/// deployment), and a listener there counts what reaches it: nothing may. <c>localhost</c> is the name that resolves to
/// a private address (the machine's resolver answers 127.0.0.1 and ::1 for it; no resolver seam is needed).
/// </summary>
[TestFixture]
public sealed class When_a_connection_points_where_integrations_may_not_be_reached
{
    private const string Allowed = "localhost,127.0.0.1,127.0.0.2,10.0.0.1,169.254.169.254";
    private const string RedirectsToMetadata = "9130000000000301";
    private const string RedirectsToAllowedListener = "9130000000000302";
    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid _configured = Guid.NewGuid();
    private Mesh _mesh = null!;
    private HttpClient _ingest = null!;
    private CountingListener _loopback = null!;
    private CountingListener _allowedTarget = null!;
    private CountingListener _redirector = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _loopback = await CountingListener.StartAsync("127.0.0.1", c => c.Response.WriteAsync("{}"));
        _allowedTarget = await CountingListener.StartAsync("127.0.0.2", c => c.Response.WriteAsync("{}"));
        _redirector = await CountingListener.StartAsync("127.0.0.2", c =>
        {
            // What a compromised or misconfigured "integration" might answer: go and ask the cloud's metadata service.
            c.Response.StatusCode = StatusCodes.Status302Found;
            c.Response.Headers.Location = c.Request.Path.Value!.Contains(RedirectsToAllowedListener, StringComparison.Ordinal)
                ? new Uri(_allowedTarget.Address, "/v3/company/x/query").ToString()
                : "http://169.254.169.254/latest/meta-data/iam/security-credentials/";
            return Task.CompletedTask;
        });
        _mesh = await Mesh.StartSandboxAsync();
        await _mesh.StartServicesAsync(new Dictionary<string, string?>
        {
            [$"{IntegrationAddressPolicy.AllowedHostsSection}:QuickBooksOnline"] = Allowed,
            [$"{IntegrationAddressPolicy.AllowedHostsSection}:ConnectWisePsa"] = Allowed,
            [IntegrationAddressPolicy.AllowedPrivateNetworksKey] = "127.0.0.2/32",
            ["ReconMesh:Secrets:acme-books:AccessToken"] = "acme-books-token",
            ["ReconMesh:Secrets:acme-books:TenantId"] = _tenant,
            // A connection in configuration is checked by host at start, and by address when it connects.
            ["ReconMesh:Connections:0:Id"] = _configured.ToString(),
            ["ReconMesh:Connections:0:TenantId"] = _tenant,
            ["ReconMesh:Connections:0:Kind"] = "QuickBooksOnline",
            ["ReconMesh:Connections:0:BaseUrl"] = _loopback.Address.ToString(),
            ["ReconMesh:Connections:0:RealmId"] = "9130000000000300",
            ["ReconMesh:Connections:0:AccessToken"] = "configured-token",
            ["ReconMesh:Connections:0:PollInterval"] = "00:00:00.500",
        });
        _ingest = TestAuth.Operator(_mesh.InvoiceIngest.Address(), _tenant);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _ingest.Dispose();
        await _mesh.DisposeAsync();
        await _redirector.DisposeAsync();
        await _allowedTarget.DisposeAsync();
        await _loopback.DisposeAsync();
    }

    [TestCase("http://169.254.169.254/", "169.254.169.254 is a link-local address")]
    [TestCase("http://10.0.0.1/", "10.0.0.1 is a private address")]
    [TestCase("http://127.0.0.1:{port}/", "127.0.0.1 is a loopback address")]
    [TestCase("http://localhost:{port}/", "localhost resolves to")]
    [TestCase("https://books.attacker.example/", "books.attacker.example is not an allowed QuickBooksOnline host")]
    public async Task Adding_a_connection_there_is_refused_with_the_reason_and_nothing_is_sent(string baseUrl, string reason)
    {
        var id = Guid.NewGuid();
        using var response = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", new
        {
            id, kind = "QuickBooksOnline", baseUrl = baseUrl.Replace("{port}", _loopback.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            realmId = "9130000000000399", credentialsSecret = "acme-books", pollInterval = "00:00:00.500",
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), problem.ToString());
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("The connection's address is not allowed"));
        Assert.That(problem.GetProperty("errors").GetProperty("baseUrl")[0].GetString(), Does.Contain(reason));
        using var added = await _ingest.GetAsync($"/tenants/{_tenant}/connections/{id}");
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing was added");
        Assert.That(_loopback.Requests, Is.Zero, "nothing was sent to the listener on 127.0.0.1");
    }

    [Test]
    public async Task A_configured_connection_there_fails_its_sync_at_connect_time_and_sends_nothing()
    {
        var connection = await Eventually.Until(() => ConnectionAsync(_configured),
            c => c.GetProperty("lastSyncFailure").ValueKind == JsonValueKind.String, "the configured connection's sync to fail");

        Assert.That(connection.GetProperty("lastSyncFailure").GetString(),
            Does.StartWith("Refused to connect: 127.0.0.1 is a loopback address"), connection.ToString());
        Assert.That(_loopback.Requests, Is.Zero, "the request never left: the address was refused before connecting");
    }

    [TestCase(RedirectsToMetadata)]
    [TestCase(RedirectsToAllowedListener)]
    public async Task An_allowed_host_that_redirects_fails_the_call_and_the_redirect_is_not_followed(string realm)
    {
        var id = Guid.NewGuid();
        using var response = await _ingest.PostAsJsonAsync($"/tenants/{_tenant}/connections", new
        {
            id, kind = "QuickBooksOnline", baseUrl = _redirector.Address.ToString(), realmId = realm, credentialsSecret = "acme-books",
            pollInterval = "00:00:00.500",
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());

        var connection = await Eventually.Until(() => ConnectionAsync(id),
            c => c.GetProperty("lastSyncFailure").ValueKind == JsonValueKind.String, "the redirected sync to fail");

        Assert.That(connection.GetProperty("lastSyncFailure").GetString(),
            Is.EqualTo("QuickBooksOnline answered HTTP 302, a redirect, which is not followed: the connection's BaseUrl must be the API's own address."));
        Assert.That(connection.ToString(), Does.Not.Contain("169.254.169.254").And.Not.Contain(_allowedTarget.Address.Authority),
            "where the answer pointed is not repeated");
        Assert.That(_redirector.Requests, Is.GreaterThan(0));
        Assert.That(_allowedTarget.Requests, Is.Zero, "the redirect's target, reachable and allowed, was never asked");
    }

    private async Task<JsonElement> ConnectionAsync(Guid id) =>
        await _ingest.GetFromJsonAsync<JsonElement>($"/tenants/{_tenant}/connections/{id}");
}
