using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// Autotask's limits in the simulator: the hourly request threshold of a database, shared by all its integration
/// codes (latency added from 50% and 75% use, refused at 100% until the rolling hour frees calls), and the thread limit
/// per integration code and object endpoint. The clock is moved by hand; latencies are set to 1-2 ms and counted, not timed.
/// </summary>
[TestFixture]
public sealed class AutotaskLimitTests
{
    private readonly ConnectWiseManualClock _clock = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private AutotaskSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await AutotaskSandboxHost.StartAsync(_clock, limitsOff: false);

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task The_documented_limits_are_the_defaults_and_ThresholdInformation_reports_the_use()
    {
        var client = await _host.NewDatabaseAsync();
        await client.GetAsync("Companies/1");
        var threshold = await client.GetAsync("ThresholdInformation");
        var limits = (await client.BooksAsync())["limits"]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(limits["requestsPerHour"]!.GetValue<int>(), Is.EqualTo(10_000));
            Assert.That(limits["threadsPerEndpoint"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(limits["halfUseLatencyMs"]!.GetValue<int>(), Is.EqualTo(500));
            Assert.That(limits["threeQuarterUseLatencyMs"]!.GetValue<int>(), Is.EqualTo(1000));
            Assert.That(threshold.Json["externalRequestThreshold"]!.GetValue<int>(), Is.EqualTo(10_000));
            Assert.That(threshold.Json["requestThresholdTimeframe"]!.GetValue<int>(), Is.EqualTo(60));
            Assert.That(threshold.Json["currentTimeframeRequestCount"]!.GetValue<int>(), Is.EqualTo(2), "the call itself is counted");
        }
    }

    [Test]
    public async Task Calls_slow_from_half_the_hourly_threshold_and_are_refused_at_it_until_the_hour_rolls_on()
    {
        var client = await _host.NewDatabaseAsync(new JsonObject { ["requestsPerHour"] = 8 });
        await _host.AdminAsync(HttpMethod.Put, client.Admin + "/limits", new JsonObject { ["halfUseLatencyMs"] = 1, ["threeQuarterUseLatencyMs"] = 2 });
        var delayedAfter = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            Assert.That((await client.GetAsync("Companies/1")).Status, Is.EqualTo(HttpStatusCode.NotFound));
            delayedAfter.Add((await client.BooksAsync())["delayed"]!.GetValue<long>());
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        var blocked = await client.GetAsync("Companies/1");
        _clock.Advance(TimeSpan.FromMinutes(51));
        var stillBlocked = await client.GetAsync("Invoices/1");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var freed = await client.GetAsync("Companies/1");
        var books = await client.BooksAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(delayedAfter, Is.EqualTo(new long[] { 0, 0, 0, 0, 1, 2, 3, 4 }), "calls 5-8 found the hour at 50% or more");
            Assert.That(blocked.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(blocked.Errors.Single(), Does.Contain("8"));
            Assert.That(stillBlocked.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(freed.Status, Is.EqualTo(HttpStatusCode.NotFound), "the first call left the rolling hour");
            Assert.That(books["thresholdBlocked"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(books["requests"]!.GetValue<long>(), Is.EqualTo(9));
        }
    }

    [Test]
    public async Task The_hourly_threshold_is_shared_by_every_integration_of_the_database()
    {
        var ours = await _host.NewDatabaseAsync(new JsonObject { ["requestsPerHour"] = 3 });
        await _host.AdminAsync(HttpMethod.Post, ours.Admin + "/users",
            new JsonObject { ["userName"] = $"rmm-{ours.DatabaseId}@x.test", ["secret"] = "s", ["integrationCode"] = "RMMTOOL" }, HttpStatusCode.Created);
        await _host.AdminAsync(HttpMethod.Put, ours.Admin + "/limits", new JsonObject { ["halfUseLatencyMs"] = 0, ["threeQuarterUseLatencyMs"] = 0 });
        var theirs = ours.As($"rmm-{ours.DatabaseId}@x.test", "s", "RMMTOOL");

        await theirs.GetAsync("Companies/1");
        await theirs.GetAsync("Companies/1");
        var ourLast = await ours.GetAsync("Companies/1");
        var ourRefused = await ours.GetAsync("Companies/1");
        var books = await ours.BooksAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ourLast.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(ourRefused.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(books["requestsByIntegrationCode"]!["RMMTOOL"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(books["requestsByIntegrationCode"]![ours.IntegrationCode]!.GetValue<long>(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Calls_other_integrations_made_count_against_the_shared_threshold()
    {
        var client = await _host.NewDatabaseAsync(new JsonObject { ["requestsPerHour"] = 100 });
        await _host.AdminAsync(HttpMethod.Put, client.Admin + "/limits", new JsonObject { ["halfUseLatencyMs"] = 1, ["threeQuarterUseLatencyMs"] = 2 });

        var usage = await _host.AdminAsync(HttpMethod.Post, client.Admin + "/usage", new JsonObject { ["requests"] = 80, ["integrationCode"] = "RMMTOOL" });
        var slowed = await client.GetAsync("Companies/1");
        await _host.AdminAsync(HttpMethod.Post, client.Admin + "/usage", new JsonObject { ["requests"] = 19 });
        var blocked = await client.GetAsync("Companies/1");
        await _host.AdminAsync(HttpMethod.Post, client.Admin + "/usage", new JsonObject { ["requests"] = 0 }, HttpStatusCode.BadRequest);
        var byCode = (await client.BooksAsync())["requestsByIntegrationCode"]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(usage["usedThisHour"]!.GetValue<int>(), Is.EqualTo(80));
            Assert.That(slowed.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await client.BooksAsync())["delayed"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(blocked.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(byCode["RMMTOOL"]!.GetValue<long>(), Is.EqualTo(80));
            Assert.That(byCode["OTHERINTEGRATION"]!.GetValue<long>(), Is.EqualTo(19));
        }
    }

    [Test]
    public async Task A_call_beyond_the_thread_limit_of_its_code_and_endpoint_is_refused_while_the_others_go_through()
    {
        var client = await _host.NewDatabaseAsync(new JsonObject { ["threadsPerEndpoint"] = 1 });
        await _host.AdminAsync(HttpMethod.Post, client.Admin + "/users",
            new JsonObject { ["userName"] = $"other-{client.DatabaseId}@x.test", ["secret"] = "s", ["integrationCode"] = "OTHERTOOL" }, HttpStatusCode.Created);
        var other = client.As($"other-{client.DatabaseId}@x.test", "s", "OTHERTOOL");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var held = new HttpRequestMessage(HttpMethod.Post, new Uri("/ATServicesRest/V1.0/Invoices/query", UriKind.Relative))
        {
            Content = new HeldContent(release.Task, "{\"filter\":[{\"op\":\"gt\",", "\"field\":\"id\",\"value\":0}]}"),
        };
        held.Headers.TryAddWithoutValidation("UserName", client.UserName);
        held.Headers.TryAddWithoutValidation("Secret", client.Secret);
        held.Headers.TryAddWithoutValidation("ApiIntegrationCode", client.IntegrationCode);
        var inFlight = _host.Http.SendAsync(held);
        await HeldContent.WaitUntilAsync(async () => (await client.BooksAsync())["requests"]!.GetValue<long>() == 1);

        var refused = await client.GetAsync("Invoices/1");
        var otherEndpoint = await client.GetAsync("Companies/1");
        var otherCode = await other.GetAsync("Invoices/1");
        release.SetResult();
        using var finished = await inFlight;
        var after = await client.GetAsync("Invoices/1");
        var books = await client.BooksAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(refused.Errors.Single(), Does.Contain("Invoices"));
            Assert.That(otherEndpoint.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(otherCode.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(finished.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(after.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(books["threadLimited"]!.GetValue<long>(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Limits_are_set_through_the_admin_API_and_0_turns_one_off()
    {
        var client = await _host.NewDatabaseAsync(new JsonObject { ["requestsPerHour"] = 1 });
        await client.GetAsync("Companies/1");
        var refused = await client.GetAsync("Companies/1");
        var limits = await _host.AdminAsync(HttpMethod.Put, client.Admin + "/limits", new JsonObject { ["requestsPerHour"] = 0 });
        var replies = new List<AutotaskReply>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(await client.GetAsync("Companies/1"));
        }

        await _host.AdminAsync(HttpMethod.Put, client.Admin + "/limits", new JsonObject { ["threadsPerEndpoint"] = -1 }, HttpStatusCode.BadRequest);
        await _host.AdminAsync(HttpMethod.Put, "/admin/autotask/databases/nope/limits", new JsonObject(), HttpStatusCode.NotFound);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(limits["requestsPerHour"]!.GetValue<int>(), Is.Zero);
            Assert.That(limits["threadsPerEndpoint"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(replies.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await client.BooksAsync())["delayed"]!.GetValue<long>(), Is.Zero);
        }
    }
}
