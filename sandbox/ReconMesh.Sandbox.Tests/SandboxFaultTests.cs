using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// Fault injection in front of the simulators, over real HTTP. Rates are 0 or 1 (or a fixed seed) so outcomes are
/// deterministic. The tests share one host and its fault profiles, so they do not run in parallel.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SandboxFaultTests
{
    private QuickBooksSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _host = await QuickBooksSandboxHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:QuickBooks:RequestsPerMinute"] = "0",
            ["Sandbox:QuickBooks:MaxConcurrent"] = "0",
            ["Sandbox:Faults:platform:LatencyMs"] = "1",
            ["Sandbox:Faults:platform:Seed"] = "7",
        }, faults: true);

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [SetUp]
    public async Task ClearAsync()
    {
        foreach (var simulator in new[] { "quickbooks", "connectwise", "xero", "platform" })
        {
            using var response = await _host.Http.DeleteAsync(new Uri($"/admin/faults/{simulator}", UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
    }

    [Test]
    public async Task Profiles_are_read_from_configuration_and_validated_when_replaced()
    {
        await using var host = await QuickBooksSandboxHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:Faults:connectwise:ErrorRate"] = "0.25",
            ["Sandbox:Faults:connectwise:ThrottleBurstLength"] = "4",
            ["Sandbox:Faults:connectwise:Seed"] = "99",
        }, faults: true);
        var configured = await host.GetJsonAsync("/admin/faults/connectwise");
        using var invalid = await host.PutJsonAsync("/admin/faults/quickbooks", new JsonObject { ["errorRate"] = 1.5 });
        using var unknown = await host.PutJsonAsync("/admin/faults/halopsa", new JsonObject());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(configured["errorRate"]!.GetValue<double>(), Is.EqualTo(0.25));
            Assert.That(configured["throttleBurstLength"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(configured["seed"]!.GetValue<int>(), Is.EqualTo(99));
            Assert.That(configured["counts"]!["errors"]!.GetValue<long>(), Is.Zero);
            Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test]
    public async Task An_error_rate_of_1_answers_every_QuickBooks_request_with_a_SystemFault_and_counts_it()
    {
        var company = await _host.NewCompanyAsync();
        await SetAsync("quickbooks", new JsonObject { ["errorRate"] = 1.0, ["seed"] = 3 });

        var replies = new List<QboReply>();
        for (var i = 0; i < 6; i++)
        {
            replies.Add(await company.GetAsync("account/4"));
        }

        var state = await _host.GetJsonAsync("/admin/faults/quickbooks");
        using (Assert.EnterMultipleScope())
        {
            foreach (var reply in replies)
            {
                Assert.That(reply.Status, Is.AnyOf(HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable), reply.ToString());
                Assert.That(reply.Code, Is.EqualTo("10000"));
                Assert.That(reply.Json["Fault"]!["type"]!.GetValue<string>(), Is.EqualTo("SystemFault"));
            }

            Assert.That(state["counts"]!["errors"]!.GetValue<long>(), Is.EqualTo(6));
            Assert.That(state["counts"]!["requests"]!.GetValue<long>(), Is.EqualTo(6));
        }
    }

    [Test]
    public async Task The_same_seed_and_request_order_give_the_same_faults()
    {
        var company = await _host.NewCompanyAsync();
        var profile = new JsonObject { ["errorRate"] = 0.5, ["throttleBurstRate"] = 0.2, ["throttleBurstLength"] = 2, ["seed"] = 42 };

        async Task<List<HttpStatusCode>> RunAsync()
        {
            await SetAsync("quickbooks", profile);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 30; i++)
            {
                statuses.Add((await company.GetAsync("account/4")).Status);
            }

            return statuses;
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public async Task A_throttle_burst_answers_429_with_the_QuickBooks_throttle_body_and_Retry_After()
    {
        var company = await _host.NewCompanyAsync();
        await SetAsync("quickbooks", new JsonObject { ["throttleBurstRate"] = 1.0, ["throttleBurstLength"] = 3 });

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v3/company/{company.RealmId}/account/4", UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", company.AccessToken);
        using var response = await _host.Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var more = new[] { await company.GetAsync("account/4"), await company.GetAsync("account/4") };
        var state = await _host.GetJsonAsync("/admin/faults/quickbooks");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(body["Fault"]!["Error"]![0]!["code"]!.GetValue<string>(), Is.EqualTo("3001"));
            Assert.That(body["Fault"]!["Error"]![0]!["Message"]!.GetValue<string>(), Is.EqualTo("message=ThrottleExceeded; errorCode=003001; statusCode=429"));
            Assert.That(body["Fault"]!["Error"]![0]!["Detail"]!.GetValue<string>(), Is.EqualTo("The request limit was reached."));
            Assert.That(more.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(state["counts"]!["throttled"]!.GetValue<long>(), Is.EqualTo(3));
        }
    }

    [Test]
    public async Task A_timeout_after_commit_fails_the_client_but_writes_and_a_retry_with_the_requestid_replays_the_answer()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Timeout Traders");
        var invoice = await company.CreateInvoiceAsync(customer["Id"]!.GetValue<string>(), 45m);
        var body = QboTestClient.PaymentBody(customer["Id"]!.GetValue<string>(), 45m, (invoice["Id"]!.GetValue<string>(), 45m));
        await SetAsync("quickbooks", new JsonObject { ["timeoutAfterCommitRate"] = 1.0 });

        Assert.That(async () => await company.PostAsync("payment?requestid=pay-timeout-1", body), Throws.InstanceOf<HttpRequestException>());

        var stateDuringFaults = await _host.GetJsonAsync("/admin/faults/quickbooks");
        var booksAfterTimeout = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/books");
        await SetAsync("quickbooks", new JsonObject());
        var retry = await company.PostAsync("payment?requestid=pay-timeout-1", body);
        var booksAfterRetry = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/books");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stateDuringFaults["counts"]!["timeoutsAfterCommit"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(booksAfterTimeout["payments"]!.AsArray(), Has.Count.EqualTo(1), "the write happened");
            Assert.That(booksAfterTimeout["invoices"]![0]!["balance"]!.GetValue<decimal>(), Is.Zero);
            Assert.That(retry.Status, Is.EqualTo(HttpStatusCode.OK), retry.ToString());
            Assert.That(retry.Json["Payment"]!["Id"]!.GetValue<string>(), Is.EqualTo(booksAfterTimeout["payments"]![0]!["id"]!.GetValue<string>()));
            Assert.That(booksAfterRetry["payments"]!.AsArray(), Has.Count.EqualTo(1), "no second write");
        }
    }

    [Test]
    public async Task Latency_is_added_and_counted_without_changing_the_answer()
    {
        var company = await _host.NewCompanyAsync();
        await SetAsync("quickbooks", new JsonObject { ["latencyMs"] = 5 });

        var reply = await company.GetAsync("account/4");
        var state = await _host.GetJsonAsync("/admin/faults/quickbooks");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
            Assert.That(state["latencyMs"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(state["counts"]!["delayed"]!.GetValue<long>(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Other_simulators_get_their_own_error_shapes_and_admin_paths_are_never_faulted()
    {
        var always = new JsonObject { ["errorRate"] = 1.0, ["timeoutAfterCommitRate"] = 1.0, ["throttleBurstRate"] = 0.0 };
        await SetAsync("quickbooks", always);
        await SetAsync("connectwise", always);
        await SetAsync("platform", new JsonObject { ["throttleBurstRate"] = 1.0 });

        using var connectWise = await _host.Http.GetAsync(new Uri("/v4_6_release/apis/3.0/finance/invoices", UriKind.Relative));
        var connectWiseBody = JsonNode.Parse(await connectWise.Content.ReadAsStringAsync())!;
        using var platform = await _host.Http.GetAsync(new Uri("/platform/invoices", UriKind.Relative));
        var platformBody = JsonNode.Parse(await platform.Content.ReadAsStringAsync())!;
        using var adminCompanies = await _host.Http.GetAsync(new Uri("/admin/qbo/companies", UriKind.Relative));
        using var adminFaults = await _host.Http.GetAsync(new Uri("/admin/faults", UriKind.Relative));
        var created = await _host.NewCompanyAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(connectWise.StatusCode, Is.AnyOf(HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable));
            Assert.That(connectWiseBody["code"], Is.Not.Null);
            Assert.That(connectWiseBody["message"], Is.Not.Null);
            Assert.That(platform.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(platform.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(platformBody["status"]!.GetValue<int>(), Is.EqualTo(429));
            Assert.That(platform.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(adminCompanies.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(adminFaults.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(created.RealmId, Is.Not.Empty);
        }
    }

    private async Task SetAsync(string simulator, JsonObject profile)
    {
        using var response = await _host.PutJsonAsync($"/admin/faults/{simulator}", profile.DeepClone());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
