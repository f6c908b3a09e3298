using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// Fault injection in front of the Autotask simulator (profile <c>autotask</c>, paths under <c>/atservicesrest/</c>):
/// answers in Autotask's <c>{"errors":[…]}</c> shape, and a write whose answer is lost after it was made.
/// Rates are 0 or 1 so outcomes are deterministic; the tests share the host's profile, so they do not run in parallel.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AutotaskFaultTests
{
    private AutotaskSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await AutotaskSandboxHost.StartAsync(faults: true);

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [SetUp]
    public Task ClearAsync() => _host.AdminAsync(HttpMethod.Delete, "/admin/faults/autotask", null, HttpStatusCode.NoContent);

    [Test]
    public async Task The_autotask_profile_is_listed_beside_the_others()
    {
        var all = (await _host.AdminAsync(HttpMethod.Get, "/admin/faults", null)).AsArray();
        var autotask = await _host.AdminAsync(HttpMethod.Get, "/admin/faults/autotask", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Select(s => s!["simulator"]!.GetValue<string>()), Does.Contain("autotask"));
            Assert.That(autotask["simulator"]!.GetValue<string>(), Is.EqualTo("autotask"));
        }
    }

    [Test]
    public async Task A_throttle_burst_answers_429_with_an_errors_body_and_leaves_the_admin_API_alone()
    {
        var client = await _host.NewDatabaseAsync();
        await _host.AdminAsync(HttpMethod.Put, "/admin/faults/autotask", new JsonObject { ["throttleBurstRate"] = 1.0, ["throttleBurstLength"] = 2 });

        var first = await client.GetAsync("Invoices/1");
        var second = await client.GetAsync("Invoices/1");
        var books = await client.BooksAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(first.Errors, Has.Count.EqualTo(1));
            Assert.That(second.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(books["requests"]!.GetValue<long>(), Is.Zero, "faulted calls never reach the simulator");
        }
    }

    [Test]
    public async Task Injected_errors_carry_Autotasks_errors_body()
    {
        var client = await _host.NewDatabaseAsync();
        await _host.AdminAsync(HttpMethod.Put, "/admin/faults/autotask", new JsonObject { ["errorRate"] = 1.0, ["seed"] = 5 });

        var reply = await client.GetAsync("Companies/1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.AnyOf(HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable));
            Assert.That(reply.Errors.Single(), Is.Not.Empty);
        }
    }

    [Test]
    public async Task An_update_whose_answer_is_lost_was_still_made()
    {
        var client = await _host.NewDatabaseAsync();
        var companyId = await client.AddCompanyAsync("Ironwood Clinics");
        var (invoiceId, _) = await client.AddInvoiceAsync(companyId, 75m);
        await _host.AdminAsync(HttpMethod.Put, "/admin/faults/autotask", new JsonObject { ["timeoutAfterCommitRate"] = 1.0 });

        Assert.That(async () => await client.PatchAsync("Invoices", new JsonObject { ["id"] = invoiceId, ["paidDate"] = "2026-12-05" }),
            Throws.InstanceOf<HttpRequestException>());
        await _host.AdminAsync(HttpMethod.Delete, "/admin/faults/autotask", null, HttpStatusCode.NoContent);
        var invoice = (await client.GetAsync($"Invoices/{invoiceId}")).Json["item"]!;

        Assert.That(invoice["paidDate"]!.GetValue<string>(), Is.EqualTo("2026-12-05T00:00:00Z"));
    }
}
