using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReconMesh.Sandbox.Tests;

/// <summary>QuickBooks webhooks: batched, signed notifications POSTed to a small receiver in the test.</summary>
[TestFixture]
public sealed class QuickBooksWebhookTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private QuickBooksSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _host = await QuickBooksSandboxHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:QuickBooks:RequestsPerMinute"] = "0",
            ["Sandbox:QuickBooks:MaxConcurrent"] = "0",
            ["Sandbox:QuickBooks:WebhookBatchMilliseconds"] = "50",
            ["Sandbox:QuickBooks:WebhookRetryMilliseconds"] = "10",
        });

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Changes_are_POSTed_in_one_signed_batch_in_the_legacy_shape()
    {
        await using var receiver = await Receiver.StartAsync();
        var company = await _host.NewCompanyAsync();
        await RegisterAsync(company, receiver.Url, "verifier-123");

        // One seed writes five entities in one go: they travel in one notification.
        using var seed = await _host.PostJsonAsync($"/admin/qbo/companies/{company.RealmId}/seed",
            new JsonObject { ["customers"] = 2, ["invoices"] = 3, ["seed"] = 3 });
        Assert.That(seed.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var delivery = await receiver.NextAsync();
        var json = JsonNode.Parse(delivery.Body)!;
        var notification = json["eventNotifications"]![0]!;
        var entities = notification["dataChangeEvent"]!["entities"]!.AsArray();
        var expectedSignature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("verifier-123"), delivery.Body));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(delivery.Headers["intuit-signature"], Is.EqualTo(expectedSignature));
            Assert.That(delivery.Headers["intuit-notification-schema-version"], Is.EqualTo("0.1"));
            Assert.That(delivery.Headers["Content-Type"], Does.StartWith("application/json"));
            Assert.That(delivery.Headers["intuit-t-id"], Is.Not.Empty);
            Assert.That(delivery.Headers["intuit-created-time"], Does.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$"));
            Assert.That(json["eventNotifications"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(Str(notification["realmId"]), Is.EqualTo(company.RealmId));
            Assert.That(entities, Has.Count.EqualTo(5), "several changes in one POST");
            Assert.That(entities.Count(e => Str(e!["name"]) == "Customer"), Is.EqualTo(2));
            Assert.That(entities.Count(e => Str(e!["name"]) == "Invoice"), Is.EqualTo(3));
            Assert.That(entities.Select(e => Str(e!["operation"])), Is.All.EqualTo("Create"));
            Assert.That(Str(entities[0]!["lastUpdated"]), Does.Match(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$"));
        }
    }

    [Test]
    public async Task A_payment_notifies_its_create_and_the_invoice_update_and_a_void_says_Void()
    {
        await using var receiver = await Receiver.StartAsync();
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Hooked Inc");
        var invoice = await company.CreateInvoiceAsync(Str(customer["Id"]), 30m);
        await RegisterAsync(company, receiver.Url, "tok");

        var payment = await company.WriteAsync("payment", "Payment",
            QboTestClient.PaymentBody(Str(customer["Id"]), 30m, (Str(invoice["Id"]), 30m)));
        var first = JsonNode.Parse((await receiver.NextAsync()).Body)!["eventNotifications"]![0]!["dataChangeEvent"]!["entities"]!.AsArray();
        await company.WriteAsync("payment?operation=update&include=void", "Payment",
            new JsonObject { ["Id"] = Str(payment["Id"]), ["SyncToken"] = Str(payment["SyncToken"]), ["sparse"] = true });
        var second = JsonNode.Parse((await receiver.NextAsync()).Body)!["eventNotifications"]![0]!["dataChangeEvent"]!["entities"]!.AsArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Select(e => $"{Str(e!["name"])} {Str(e["id"])} {Str(e["operation"])}"),
                Is.EquivalentTo(new[] { $"Payment {Str(payment["Id"])} Create", $"Invoice {Str(invoice["Id"])} Update" }));
            Assert.That(second.Select(e => $"{Str(e!["name"])} {Str(e["operation"])}"), Does.Contain("Payment Void"));
        }
    }

    [Test]
    public async Task A_failed_delivery_is_retried_with_the_same_signed_body()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 1);
        var company = await _host.NewCompanyAsync();
        await RegisterAsync(company, receiver.Url, "retry-token");

        await company.CreateCustomerAsync("Retry Me");
        var failed = await receiver.NextAsync();
        var retried = await receiver.NextAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Status, Is.EqualTo(500));
            Assert.That(retried.Status, Is.EqualTo(200));
            Assert.That(retried.Body, Is.EqualTo(failed.Body));
            Assert.That(retried.Headers["intuit-signature"], Is.EqualTo(failed.Headers["intuit-signature"]));
        }
    }

    [Test]
    public async Task The_webhook_admin_API_validates_and_removes_registrations()
    {
        var company = await _host.NewCompanyAsync();
        using var bad = await _host.PutJsonAsync($"/admin/qbo/companies/{company.RealmId}/webhook", new JsonObject { ["url"] = "not a url" });
        using var unknown = await _host.PutJsonAsync("/admin/qbo/companies/000/webhook",
            new JsonObject { ["url"] = "http://127.0.0.1:1/hook", ["verifierToken"] = "t" });
        await RegisterAsync(company, new Uri("http://127.0.0.1:1/hook"), "t");
        using var removed = await _host.Http.DeleteAsync(new Uri($"/admin/qbo/companies/{company.RealmId}/webhook", UriKind.Relative));
        using var gone = await _host.Http.GetAsync(new Uri($"/admin/qbo/companies/{company.RealmId}/webhook", UriKind.Relative));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    private async Task RegisterAsync(QboTestClient company, Uri url, string verifierToken)
    {
        using var response = await _host.PutJsonAsync($"/admin/qbo/companies/{company.RealmId}/webhook",
            new JsonObject { ["url"] = url.ToString(), ["verifierToken"] = verifierToken });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private static string Str(JsonNode? node) => node?.GetValue<string>() ?? throw new AssertionException("missing string value");

    /// <summary>One POST the receiver got: the raw body, the headers, and the status it answered.</summary>
    private sealed record Delivery(byte[] Body, IReadOnlyDictionary<string, string> Headers, int Status);

    /// <summary>A loopback endpoint that records every POST; the first <c>failFirst</c> ones are answered 500.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Channel<Delivery> _deliveries;

        private Receiver(WebApplication app, Channel<Delivery> deliveries, Uri url)
        {
            _app = app;
            _deliveries = deliveries;
            Url = url;
        }

        public Uri Url { get; }

        public static async Task<Receiver> StartAsync(int failFirst = 0)
        {
            var deliveries = Channel.CreateUnbounded<Delivery>();
            var failuresLeft = failFirst;
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/hook", async (HttpContext context) =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                var status = Interlocked.Decrement(ref failuresLeft) >= 0 ? 500 : 200;
                var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                await deliveries.Writer.WriteAsync(new Delivery(buffer.ToArray(), headers, status));
                context.Response.StatusCode = status;
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new Receiver(app, deliveries, new Uri(new Uri(address), "/hook"));
        }

        /// <summary>The next POST, waited for with a timeout (no sleeping).</summary>
        public async Task<Delivery> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            return await _deliveries.Reader.ReadAsync(timeout.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
