using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// Fault injection in front of the Xero simulator (profile <c>xero</c>, paths under <c>/api.xro/</c>): answers in
/// Xero's shapes, and a write whose answer is lost that an <c>Idempotency-Key</c> retry recovers without paying twice.
/// Rates are 0 or 1 so outcomes are deterministic; the tests share the host's profile, so they do not run in parallel.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class XeroFaultTests
{
    private XeroSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await XeroSandboxHost.StartAsync(faults: true);

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [SetUp]
    public Task ClearAsync() => _host.AdminAsync(HttpMethod.Delete, "/admin/faults/xero", null, HttpStatusCode.NoContent);

    [Test]
    public async Task A_throttle_burst_answers_429_minute_with_Retry_After_and_leaves_the_admin_API_alone()
    {
        var client = await _host.NewOrganisationAsync();
        await _host.AdminAsync(HttpMethod.Put, "/admin/faults/xero", new JsonObject { ["throttleBurstRate"] = 1.0, ["throttleBurstLength"] = 2 });

        var first = await client.GetAsync("Invoices");
        var second = await client.GetAsync("Invoices");
        var books = await _host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(first.Header("X-Rate-Limit-Problem"), Is.EqualTo("minute"));
            Assert.That(first.Header("Retry-After"), Is.EqualTo("1"));
            Assert.That(first.Body, Is.Empty);
            Assert.That(second.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(books["requests"]!.GetValue<long>(), Is.Zero, "faulted calls never reach the simulator");
        }
    }

    [Test]
    public async Task Injected_errors_carry_Xeros_ApiException_body()
    {
        var client = await _host.NewOrganisationAsync();
        await _host.AdminAsync(HttpMethod.Put, "/admin/faults/xero", new JsonObject { ["errorRate"] = 1.0, ["seed"] = 5 });

        var reply = await client.GetAsync("Contacts");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.AnyOf(HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable));
            Assert.That(reply.Json["ErrorNumber"]!.GetValue<int>(), Is.EqualTo((int)reply.Status));
            Assert.That(reply.Json["Type"]!.GetValue<string>(), Does.EndWith("Exception"));
        }
    }

    [Test]
    public async Task A_payment_whose_answer_is_lost_is_recovered_by_retrying_with_its_Idempotency_Key()
    {
        var client = await _host.NewOrganisationAsync();
        var contactId = await client.AddContactAsync(_host, "Acme");
        var (invoiceId, _) = await client.AddInvoiceAsync(_host, contactId, 100m);
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "payout-42" };
        await _host.AdminAsync(HttpMethod.Put, "/admin/faults/xero", new JsonObject { ["timeoutAfterCommitRate"] = 1.0 });

        Assert.ThrowsAsync<HttpRequestException>(() => client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "092", 100m), key));
        await _host.AdminAsync(HttpMethod.Delete, "/admin/faults/xero", null, HttpStatusCode.NoContent);
        var retry = await client.PutAsync("Payments", XeroTestClient.Payment(invoiceId, "092", 100m), key);
        var books = await _host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(retry.Status, Is.EqualTo(HttpStatusCode.OK), retry.ToString());
            Assert.That(books["payments"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(books["invoices"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("PAID"));
        }
    }

    [Test]
    public async Task A_queued_answer_carries_the_headers_it_was_given_and_an_unsafe_header_is_refused()
    {
        var client = await _host.NewOrganisationAsync();
        await _host.AdminAsync(HttpMethod.Post, "/admin/faults/xero/answers", new JsonObject
        {
            ["match"] = "GET /api.xro/2.0/Invoices", ["status"] = 429,
            ["headers"] = new JsonObject { ["Retry-After"] = "-5", ["X-Rate-Limit-Problem"] = "minute" },
        }, HttpStatusCode.Created);

        var reply = await client.GetAsync("Invoices");
        var refused = await _host.AdminAsync(HttpMethod.Post, "/admin/faults/xero/answers",
            new JsonObject { ["headers"] = new JsonObject { ["Retry-After"] = "1\r\nSet-Cookie: x=1" } }, HttpStatusCode.BadRequest);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(reply.Header("Retry-After"), Is.EqualTo("-5"));
            Assert.That(reply.Header("X-Rate-Limit-Problem"), Is.EqualTo("minute"));
            Assert.That(refused["error"]!.GetValue<string>(), Does.Contain("printable ASCII"));
        }
    }
}
