using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.Integrations.Http;
using ReconMesh.InvoiceIngest.Webhooks;

namespace ReconMesh.IntegrationTests.Security;

/// <summary>
/// ConnectWise callbacks are anonymous to tokens and signed with a key fetched from the connection's site by the key id
/// the callback names: a forger who invents key ids could make every callback cost an authenticated request to
/// ConnectWise. A key id ConnectWise does not have is remembered as unknown, and callbacks are rate-limited per
/// connection. The "site" here is a listener that counts the key requests it gets: key "good" exists, no other does.
/// </summary>
[TestFixture]
public sealed class When_ConnectWise_callbacks_are_forged_in_bulk
{
    private const int PerMinute = 4;
    private const string SigningKey = "the-good-signing-key";
    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private readonly Guid[] _connections = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
    private readonly Dictionary<string, int> _keyRequests = [];
    private Mesh _mesh = null!;
    private CountingListener _site = null!;
    private HttpClient _webhooks = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _site = await CountingListener.StartAsync("127.0.0.2", async c =>
        {
            var path = c.Request.Path.Value!;
            var at = path.IndexOf("/system/callbackKeys/", StringComparison.Ordinal);
            if (at < 0)
            {
                await c.Response.WriteAsJsonAsync(Array.Empty<object>()); // an empty site: the syncs find nothing
                return;
            }

            var keyId = path[(at + "/system/callbackKeys/".Length)..];
            lock (_keyRequests)
            {
                _keyRequests[keyId] = _keyRequests.GetValueOrDefault(keyId) + 1;
            }

            if (keyId == "good")
            {
                await c.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["signing_key"] = SigningKey });
                return;
            }

            c.Response.StatusCode = StatusCodes.Status404NotFound;
            await c.Response.WriteAsJsonAsync(new { code = "NotFound", message = "CallbackKey not found" });
        });
        _mesh = await Mesh.StartSandboxAsync();
        var settings = new Dictionary<string, string?>
        {
            [$"{IntegrationAddressPolicy.AllowedHostsSection}:ConnectWisePsa"] = "127.0.0.2",
            [IntegrationAddressPolicy.AllowedPrivateNetworksKey] = "127.0.0.2/32",
            [ConnectWiseCallback.CallbacksPerMinuteKey] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < _connections.Length; i++)
        {
            foreach (var (key, value) in ConnectWiseSandbox.Connection(_connections[i], _tenant, _site.Address, "01:00:00"))
            {
                settings[key.Replace(":Connections:0:", $":Connections:{i}:", StringComparison.Ordinal)] = value;
            }

            settings[$"ReconMesh:Connections:{i}:CompanyId"] = Company(i);
        }

        await _mesh.StartServicesAsync(settings);
        _webhooks = new HttpClient { BaseAddress = _mesh.InvoiceIngest.WebhookAddress() };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _webhooks.Dispose();
        await _mesh.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task An_unknown_key_id_is_asked_of_ConnectWise_once_and_a_known_key_still_verifies()
    {
        using var first = await CallbackAsync(0, "forged-key-1", "any");
        using var again = await CallbackAsync(0, "forged-key-1", "any");
        using var signed = await CallbackAsync(0, "good", SigningKey);
        using var signedAgain = await CallbackAsync(0, "good", SigningKey);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), Does.Contain("no callback key forged-key-1"));
        Assert.That(signed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await signed.Content.ReadAsStringAsync());
        Assert.That(signedAgain.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        lock (_keyRequests)
        {
            Assert.That(_keyRequests, Is.EquivalentTo(new Dictionary<string, int> { ["forged-key-1"] = 1, ["good"] = 1 }),
                "one request per key id, whether ConnectWise has the key or not");
        }
    }

    [Test, Order(2)]
    public async Task Callbacks_beyond_the_connections_limit_are_answered_429_and_another_connection_is_not_affected()
    {
        for (var i = 0; i < PerMinute; i++)
        {
            using var within = await CallbackAsync(1, $"forged-key-b{i}", "any");
            Assert.That(within.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"callback {i + 1} of {PerMinute} is let in (and refused on its merits)");
        }

        using var beyond = await CallbackAsync(1, "forged-key-b-beyond", "any");
        var problem = await beyond.Content.ReadFromJsonAsync<JsonElement>();
        using var other = await CallbackAsync(2, "good", SigningKey);

        Assert.That(beyond.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), problem.ToString());
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Too many requests"));
        Assert.That(beyond.Headers.RetryAfter, Is.Not.Null);
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "each connection has a limit of its own");
        lock (_keyRequests)
        {
            Assert.That(_keyRequests.ContainsKey("forged-key-b-beyond"), Is.False, "the refused callback cost ConnectWise nothing");
        }
    }

    private static string Company(int index) => $"forgery-test-{index}";

    private async Task<HttpResponseMessage> CallbackAsync(int connection, string keyId, string signingKey)
    {
        var keyUrl = new Uri(_site.Address, $"/v4_6_release/apis/3.0/system/callbackKeys/{keyId}").ToString();
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["Action"] = "updated", ["CompanyId"] = Company(connection), ["ID"] = 17, ["Type"] = "invoice",
            ["Metadata"] = new Dictionary<string, string> { ["key_url"] = keyUrl },
        }));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(signingKey)), body));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/connectwise/{_connections[connection]}")
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        };
        request.Headers.Add(ConnectWiseCallback.SignatureHeader, signature);
        return await _webhooks.SendAsync(request);
    }
}
