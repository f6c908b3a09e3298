using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// Xero webhooks: "intent to receive" before anything is sent, then batched contact and invoice events signed with
/// <c>x-xero-signature</c>, POSTed to a small receiver in the test. The app has one webhook, so the tests run one by one.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class XeroWebhookTests : XeroFixture
{
    private const string Key = "test-webhook-key";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Sandbox:Xero:WebhookBatchMilliseconds"] = "50",
    };

    [Test]
    public async Task Only_an_endpoint_that_checks_the_signature_passes_intent_to_receive()
    {
        await using var honest = await Receiver.StartAsync(checksSignature: true);
        await using var careless = await Receiver.StartAsync(checksSignature: false);

        var passed = await SubscribeAsync(honest.Url);
        var failed = await SubscribeAsync(careless.Url);
        var unreachable = await SubscribeAsync(new Uri("http://127.0.0.1:9/hook"));
        var shown = await Host.AdminAsync(HttpMethod.Get, "/admin/xero/webhook", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(passed["status"]!.GetValue<string>(), Is.EqualTo("OK"));
            Assert.That(honest.Probes, Is.EqualTo(2), "one correctly and one wrongly signed empty payload");
            Assert.That(failed["status"]!.GetValue<string>(), Is.EqualTo("INTENT_TO_RECEIVE_REQUIRED"));
            Assert.That(failed["detail"]!.GetValue<string>(), Does.Contain("expected 401"));
            Assert.That(unreachable["detail"]!.GetValue<string>(), Does.Contain("no answer"));
            Assert.That(shown["url"]!.GetValue<string>(), Is.EqualTo("http://127.0.0.1:9/hook"));
            Assert.That(shown["key"], Is.Null, "the key is never shown");
        }
    }

    [Test]
    public async Task Contact_and_invoice_changes_arrive_signed_in_Xeros_event_shape()
    {
        await using var receiver = await Receiver.StartAsync(checksSignature: true);
        Assert.That((await SubscribeAsync(receiver.Url))["status"]!.GetValue<string>(), Is.EqualTo("OK"));
        var client = await Host.NewOrganisationAsync();
        var contactId = await client.AddContactAsync(Host, "Hooked Ltd");
        var (invoiceId, _) = await client.AddInvoiceAsync(Host, contactId, 40m);
        await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "090", 40m));

        var events = new List<JsonNode>();
        while (!events.Any(e => e["eventType"]!.GetValue<string>() == "UPDATE"))
        {
            var delivery = await receiver.NextAsync();
            var json = JsonNode.Parse(delivery)!;
            Assert.That(json["lastEventSequence"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(json["firstEventSequence"]!.GetValue<long>()));
            Assert.That(json["entropy"]!.GetValue<string>(), Is.Not.Empty);
            events.AddRange(json["events"]!.AsArray().Select(e => e!).Where(e => e["tenantId"]!.GetValue<string>() == client.TenantId));
        }

        var contact = events.Single(e => e["eventCategory"]!.GetValue<string>() == "CONTACT");
        var created = events.First(e => e["eventCategory"]!.GetValue<string>() == "INVOICE");
        var paid = events.First(e => e["eventType"]!.GetValue<string>() == "UPDATE");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(contact["eventType"]!.GetValue<string>(), Is.EqualTo("CREATE"));
            Assert.That(contact["resourceId"]!.GetValue<string>(), Is.EqualTo(contactId));
            Assert.That(contact["resourceUrl"]!.GetValue<string>(), Is.EqualTo($"https://api.xero.com/api.xro/2.0/Contacts/{contactId}"));
            Assert.That(created["eventType"]!.GetValue<string>(), Is.EqualTo("CREATE"));
            Assert.That(paid["eventCategory"]!.GetValue<string>(), Is.EqualTo("INVOICE"));
            Assert.That(paid["resourceId"]!.GetValue<string>(), Is.EqualTo(invoiceId));
            Assert.That(paid["tenantType"]!.GetValue<string>(), Is.EqualTo("ORGANISATION"));
            Assert.That(paid["eventDateUtc"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$"));
            Assert.That(receiver.BadSignatures, Is.EqualTo(1), "only the intent-to-receive probe was wrongly signed");
        }
    }

    private async Task<JsonNode> SubscribeAsync(Uri url) =>
        await Host.AdminAsync(HttpMethod.Put, "/admin/xero/webhook", new JsonObject { ["url"] = url.ToString(), ["key"] = Key });

    /// <summary>A loopback webhook endpoint; one that checks signatures answers 200 or 401 as Xero expects, a careless one always 200.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Channel<byte[]> _events;
        private readonly Counters _counters;

        private Receiver(WebApplication app, Channel<byte[]> events, Counters counters, Uri url)
        {
            _app = app;
            _events = events;
            _counters = counters;
            Url = url;
        }

        public Uri Url { get; }

        public int Probes => _counters.Probes;

        public int BadSignatures => _counters.BadSignatures;

        public static async Task<Receiver> StartAsync(bool checksSignature)
        {
            var events = Channel.CreateUnbounded<byte[]>();
            var counters = new Counters();
            var (app, address) = await SandboxTestServer.StartAsync([], null, false, (_, _) => { }, app => app.MapPost("/hook", async (HttpContext context) =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                var body = buffer.ToArray();
                var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), body));
                var valid = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected),
                    Encoding.ASCII.GetBytes(context.Request.Headers["x-xero-signature"].ToString()));
                counters.Count(valid, JsonNode.Parse(body)!["events"]!.AsArray().Count == 0);
                if (valid && JsonNode.Parse(body)!["events"]!.AsArray().Count > 0)
                {
                    await events.Writer.WriteAsync(body);
                }

                context.Response.StatusCode = valid || !checksSignature ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized;
            }));
            return new Receiver(app, events, counters, new Uri(address, "/hook"));
        }

        /// <summary>The next signed delivery with events, waited for with a timeout (no sleeping).</summary>
        public async Task<byte[]> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            return await _events.Reader.ReadAsync(timeout.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private sealed class Counters
        {
            private int _probes;
            private int _badSignatures;

            public int Probes => Volatile.Read(ref _probes);

            public int BadSignatures => Volatile.Read(ref _badSignatures);

            public void Count(bool valid, bool empty)
            {
                if (empty)
                {
                    Interlocked.Increment(ref _probes);
                }

                if (!valid)
                {
                    Interlocked.Increment(ref _badSignatures);
                }
            }
        }
    }
}
