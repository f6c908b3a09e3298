using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Security;

/// <summary>
/// Every endpoint of every service, as its routing table lists it, tried over real HTTP against the running mesh
/// (tenant A has a QuickBooks connection with synced invoices): nothing answers without a valid token but the health
/// probes and the webhooks that check their own signatures; a token of tenant B finds nothing of A's (404, as if it
/// did not exist); roles limit what a token of A may do.
/// </summary>
[TestFixture]
[Category("Security")]
public sealed class When_callers_reach_for_the_APIs
{
    private const string Realm = "9130000000000777";
    private static readonly string[] Probes = ["/health/live", "/health/ready"];
    private readonly string _a = $"tenant-a-{Guid.NewGuid():N}";
    private readonly string _b = $"tenant-b-{Guid.NewGuid():N}";
    private readonly Guid _connection = Guid.NewGuid();
    private readonly HttpClient _http = new();
    private Mesh _mesh = null!;
    private IReadOnlyList<MappedEndpoint> _endpoints = null!;
    private Dictionary<string, string> _values = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await Mesh.StartSandboxAsync();
        (await _mesh.Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = "sandbox-qbo-token" })).EnsureSuccessStatusCode();
        (await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 1, invoices = 2, currency = "USD", seed = 5 }))
            .EnsureSuccessStatusCode();
        await _mesh.StartServicesAsync(_mesh.QuickBooksConnection(_connection, _a, Realm, "sandbox-qbo-token", "01:00:00"),
            paymentEventsSettings: new Dictionary<string, string?> { ["ReconMesh:Platform:WebhookSecret"] = "test-webhook-secret" },
            invoiceIngestSettings: new Dictionary<string, string?>
            {
                ["ReconMesh:QuickBooks:WebhookVerifierToken"] = "test-verifier",
                [ReconMesh.InvoiceIngest.Webhooks.XeroWebhook.WebhookKeySetting] = "test-xero-webhook-key",
            });
        var invoices = await Eventually.Until(
            () => _mesh.Sandbox.GetFromJsonAsync<List<JsonElement>>($"/platform/invoices?tenantId={_a}", PaymentScenarioHarness.Json),
            i => i!.Count >= 2, "tenant A's invoices to sync");
        _endpoints = MappedEndpoint.Of(("invoice-ingest", _mesh.InvoiceIngest), ("payment-events", _mesh.PaymentEvents), ("writeback-service", _mesh.Writeback));
        // Real ids of A's where there are some: B must not find them; a random id where A has nothing of the kind.
        _values = new Dictionary<string, string>
        {
            ["tenantId"] = _a,
            ["connectionId"] = _connection.ToString(),
            ["invoiceId"] = invoices![0].GetProperty("invoiceId").GetString()!,
            ["meshPaymentId"] = Guid.NewGuid().ToString(),
            ["payoutId"] = "po_none",
            ["paymentId"] = "pay_none",
        };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _mesh.DisposeAsync();
    }

    private IEnumerable<MappedEndpoint> Closed => _endpoints.Where(e => !e.IsAnonymous);

    private IEnumerable<MappedEndpoint> OfTenants => _endpoints.Where(e => e.IsTenantScoped);

    [Test]
    public void Only_the_health_probes_and_the_signed_webhooks_answer_without_a_token()
    {
        var open = _endpoints.Where(e => e.IsAnonymous && !e.IsSignedWebhook && !Probes.Contains(e.Pattern)).ToList();

        Assert.That(open, Is.Empty, "anonymous endpoints that are neither a health probe nor a signed webhook");
        Assert.That(_endpoints.Where(e => e.IsSignedWebhook).Select(e => e.Pattern), Is.EquivalentTo(new[]
        {
            "/webhooks/quickbooks", "/webhooks/connectwise/{connectionId:guid}", "/webhooks/xero", "/webhooks/platform",
        }));
        Assert.That(OfTenants.Count(), Is.GreaterThanOrEqualTo(15), "the operator APIs were found in the routing tables");
        Assert.That(Closed.Where(e => e.Pattern.StartsWith("/tenants/", StringComparison.Ordinal) && !e.IsTenantScoped), Is.Empty,
            "a /tenants/ route that names its tenant other than {tenantId} escapes the tenant check");
    }

    [TestCase("no token")]
    [TestCase("expired")]
    [TestCase("not yet valid")]
    [TestCase("signed by another key")]
    [TestCase("another audience")]
    [TestCase("another issuer")]
    [TestCase("not a token")]
    public async Task Every_closed_endpoint_answers_401_to(string what)
    {
        // An admin's token in every case: what is wrong with it is the one thing named, nothing else.
        var valid = TestAuth.Request([_a, _b], AccessRoles.Admin);
        var now = DateTimeOffset.UtcNow;
        var token = what switch
        {
            "no token" => null,
            "expired" => TestAuth.Token(valid with { NotBefore = now.AddHours(-2), Expires = now.AddMinutes(-5) }),
            "not yet valid" => TestAuth.Token(valid with { NotBefore = now.AddMinutes(10), Expires = now.AddHours(1) }),
            "signed by another key" => AccessTokens.Mint(AccessTokens.NewKey(), valid),
            "another audience" => TestAuth.Token(valid with { Audience = "someone-else" }),
            "another issuer" => TestAuth.Token(valid with { Issuer = "https://attacker.example" }),
            _ => "not-a-jwt",
        };

        var wrong = new List<string>();
        foreach (var endpoint in Closed)
        {
            using var answer = await endpoint.CallAsync(_http, _values, token);
            if (answer.StatusCode != HttpStatusCode.Unauthorized)
            {
                wrong.Add($"{endpoint}: {(int)answer.StatusCode}");
            }
        }

        Assert.That(Closed.Count(), Is.GreaterThanOrEqualTo(18));
        Assert.That(wrong, Is.Empty);
        using var control = await Closed.First(e => e.IsTenantScoped && e.IsRead).CallAsync(_http, _values, TestAuth.Token(valid));
        Assert.That(control.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same token, without the flaw, is let in");
    }

    [Test]
    public async Task A_token_of_tenant_B_finds_nothing_of_tenant_As_while_As_own_token_does()
    {
        var ofB = TestAuth.Token([_b], AccessRoles.Write);
        var ofA = TestAuth.Token([_a], AccessRoles.Write);
        var wrong = new List<string>();
        foreach (var endpoint in OfTenants)
        {
            using var answer = await endpoint.CallAsync(_http, _values, ofB);
            if (await TitleOf(answer) is var title && (answer.StatusCode != HttpStatusCode.NotFound || title != "Not found"))
            {
                wrong.Add($"{endpoint} with B's token: {(int)answer.StatusCode} {title}");
            }
        }

        foreach (var endpoint in OfTenants.Where(e => e.IsRead && !e.Pattern.Contains("payments/{", StringComparison.Ordinal)
            && !e.Pattern.Contains("payouts/{", StringComparison.Ordinal)))
        {
            using var answer = await endpoint.CallAsync(_http, _values, ofA);
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                wrong.Add($"{endpoint} with A's token: {(int)answer.StatusCode} (A's data is there)");
            }
        }

        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public async Task A_read_token_reads_its_tenant_but_changes_nothing()
    {
        var read = TestAuth.Token([_a], AccessRoles.Read);
        var wrong = new List<string>();
        var changes = OfTenants.Where(e => !e.IsRead).ToList();
        foreach (var endpoint in changes)
        {
            using var answer = await endpoint.CallAsync(_http, _values, read);
            if (answer.StatusCode != HttpStatusCode.Forbidden)
            {
                wrong.Add($"{endpoint}: {(int)answer.StatusCode}, not 403");
            }
        }

        foreach (var endpoint in OfTenants.Where(e => e.IsRead))
        {
            using var answer = await endpoint.CallAsync(_http, _values, read);
            if (answer.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || await TitleOf(answer) == "Not found")
            {
                wrong.Add($"{endpoint}: {(int)answer.StatusCode} to a reader of the tenant");
            }
        }

        Assert.That(changes.Select(e => e.Pattern), Has.Some.EndsWith("/retry").And.Some.EndsWith("/dismiss").And.Some.EndsWith("/pause"));
        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public async Task A_write_token_gets_past_the_gate_to_retry_and_dismiss_where_a_read_token_is_refused()
    {
        var retry = OfTenants.Single(e => e.Pattern.EndsWith("/retry", StringComparison.Ordinal));
        using var asReader = await retry.CallAsync(_http, _values, TestAuth.Token([_a], AccessRoles.Read));
        using var asWriter = await retry.CallAsync(_http, _values, TestAuth.Token([_a], AccessRoles.Write));

        Assert.That(asReader.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(asWriter.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the handler's own answer: A has no such payment");
        Assert.That(await TitleOf(asWriter), Is.EqualTo("Payment not found"));
    }

    [Test]
    public async Task An_admin_token_sees_every_tenant_and_a_metrics_token_only_the_metrics()
    {
        var admin = TestAuth.Token([], AccessRoles.Admin);
        var metrics = TestAuth.Token([], AccessRoles.Metrics);
        var connections = OfTenants.First(e => e.Pattern.EndsWith("/connections/", StringComparison.Ordinal) && e.IsRead);
        using var byAdmin = await connections.CallAsync(_http, _values, admin);
        using var byScraper = await connections.CallAsync(_http, _values, metrics);
        Assert.That(byAdmin.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await byAdmin.Content.ReadAsStringAsync(), Does.Contain(_connection.ToString()));
        Assert.That(byScraper.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a scraper sees no tenant");

        foreach (var scrape in _endpoints.Where(e => e.Pattern == "/metrics"))
        {
            using var withMetrics = await scrape.CallAsync(_http, _values, metrics);
            using var withOperator = await scrape.CallAsync(_http, _values, TestAuth.Token([_a], AccessRoles.Write));
            Assert.That(withMetrics.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{scrape} with the metrics role");
            Assert.That(withOperator.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{scrape} with a tenant operator's token");
        }
    }

    [Test]
    public async Task The_signed_webhooks_refuse_an_unsigned_call_and_the_probes_answer_anyone()
    {
        foreach (var webhook in _endpoints.Where(e => e.IsSignedWebhook))
        {
            using var answer = await webhook.CallAsync(_http, _values, token: null);
            Assert.That((int)answer.StatusCode, Is.InRange(400, 499), $"{webhook}: {await answer.Content.ReadAsStringAsync()}");
            Assert.That(await TitleOf(answer), Is.Not.EqualTo(SeparateDoors.NotFoundTitle), $"{webhook} answers at its own door (the webhook listener)");
        }

        foreach (var probe in _endpoints.Where(e => Probes.Contains(e.Pattern)))
        {
            using var answer = await probe.CallAsync(_http, _values, token: null);
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), probe.ToString());
        }
    }

    [Test]
    public async Task Each_door_answers_only_its_own_endpoints_and_the_probes_answer_at_both()
    {
        // The other door of every endpoint of a service with two: a webhook at the API's port, an API endpoint (and
        // /metrics) at the webhook port. Nothing is there, with or without a token, not even a 401.
        var admin = TestAuth.Token([_a, _b], AccessRoles.Admin);
        var twoDoors = _endpoints.Where(e => e.HasTwoDoors).ToList();
        var wrong = new List<string>();
        foreach (var endpoint in twoDoors.Where(e => !Probes.Contains(e.Pattern)))
        {
            foreach (var token in new[] { null, admin })
            {
                using var answer = await endpoint.CallAsync(_http, _values, token, atTheOtherDoor: true);
                if (answer.StatusCode != HttpStatusCode.NotFound || await TitleOf(answer) != SeparateDoors.NotFoundTitle)
                {
                    wrong.Add($"{endpoint} at {endpoint.AddressAtTheOtherDoor(_values)} {(token is null ? "without a token" : "as admin")}: {(int)answer.StatusCode}");
                }
            }
        }

        foreach (var probe in twoDoors.Where(e => Probes.Contains(e.Pattern)))
        {
            using var answer = await probe.CallAsync(_http, _values, token: null, atTheOtherDoor: true);
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                wrong.Add($"{probe} at the webhook listener: {(int)answer.StatusCode}, the probes answer at both doors");
            }
        }

        Assert.That(wrong, Is.Empty);
        Assert.That(twoDoors.Count(e => e.IsSignedWebhook), Is.EqualTo(4), "every webhook was tried at the API's port");
        Assert.That(twoDoors.Where(e => !e.IsAnonymous).Select(e => e.Pattern), Has.Some.EqualTo("/metrics").And.Some.StartsWith("/tenants/"),
            "the API and the metrics were tried at the webhook port");
        using var control = await twoDoors.First(e => e.IsTenantScoped && e.IsRead).CallAsync(_http, _values, admin);
        Assert.That(control.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same admin token at the API's own door is let in");
    }

    private static async Task<string?> TitleOf(HttpResponseMessage answer)
    {
        var body = await answer.Content.ReadAsStringAsync();
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
