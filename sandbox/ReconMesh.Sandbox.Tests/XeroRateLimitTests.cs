using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// The Xero simulator's per-organisation limits (calls a minute, a day, at once) with the headers Xero sends:
/// <c>X-MinLimit-Remaining</c>, <c>X-DayLimit-Remaining</c>, <c>X-AppMinLimit-Remaining</c> on admitted calls, and 429
/// with <c>X-Rate-Limit-Problem</c> and <c>Retry-After</c> on refused ones. The clock is moved by hand.
/// </summary>
[TestFixture]
public sealed class XeroRateLimitTests : XeroFixture
{
    [Test]
    public async Task The_documented_limits_are_the_defaults_and_admitted_calls_carry_what_is_left()
    {
        await using var host = await XeroSandboxHost.StartAsync(limitsOff: false);
        var client = new XeroTestClient(host.Http, XeroSandboxHost.DefaultTenant, XeroSandboxHost.DefaultToken);
        var first = await client.GetAsync("Accounts");
        var second = await client.GetAsync("Accounts");
        var limits = (await host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null))["limits"]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(limits["requestsPerMinute"]!.GetValue<int>(), Is.EqualTo(60));
            Assert.That(limits["maxConcurrent"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(limits["requestsPerDay"]!.GetValue<int>(), Is.EqualTo(5000));
            Assert.That(first.Header("X-MinLimit-Remaining"), Is.EqualTo("59"));
            Assert.That(first.Header("X-DayLimit-Remaining"), Is.EqualTo("4999"));
            Assert.That(second.Header("X-MinLimit-Remaining"), Is.EqualTo("58"));
            Assert.That(second.Header("X-AppMinLimit-Remaining"), Is.EqualTo("9998"));
            Assert.That(second.Header("Xero-Correlation-Id"), Is.Not.Null);
        }
    }

    [Test]
    public async Task Beyond_the_minute_limit_calls_get_429_minute_with_Retry_After_until_the_window_moves_on()
    {
        var client = await Host.NewOrganisationAsync(new JsonObject { ["requestsPerMinute"] = 3 });
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await client.GetAsync("Invoices")).Status, Is.EqualTo(HttpStatusCode.OK));
        }

        Clock.Advance(TimeSpan.FromSeconds(20));
        var refused = await client.GetAsync("Invoices");
        Clock.Advance(TimeSpan.FromSeconds(40));
        var afterWindow = await client.GetAsync("Invoices");
        var books = await Host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(refused.Header("X-Rate-Limit-Problem"), Is.EqualTo("minute"));
            Assert.That(refused.Header("Retry-After"), Is.EqualTo("40"));
            Assert.That(afterWindow.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(books["throttled"]!.GetValue<long>(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Beyond_the_day_limit_calls_get_429_day_until_the_day_is_over()
    {
        var client = await Host.NewOrganisationAsync(new JsonObject { ["requestsPerDay"] = 2 });
        await client.GetAsync("Contacts");
        Clock.Advance(TimeSpan.FromHours(1));
        await client.GetAsync("Contacts");
        var refused = await client.GetAsync("Contacts");
        Clock.Advance(TimeSpan.FromHours(23));
        var nextDay = await client.GetAsync("Contacts");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(refused.Header("X-Rate-Limit-Problem"), Is.EqualTo("day"));
            Assert.That(refused.Header("Retry-After"), Is.EqualTo("82800"));
            Assert.That(nextDay.Status, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task A_call_beyond_the_concurrent_limit_gets_429_concurrent_while_another_is_in_flight()
    {
        var client = await Host.NewOrganisationAsync(new JsonObject { ["maxConcurrent"] = 1 });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var held = new HttpRequestMessage(HttpMethod.Put, new Uri("/api.xro/2.0/Payments", UriKind.Relative))
        {
            Content = new HeldContent(release.Task, "{\"Payments\":", "[]}"),
        };
        held.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", client.AccessToken);
        held.Headers.Add("xero-tenant-id", client.TenantId);
        var inFlight = Host.Http.SendAsync(held);
        await HeldContent.WaitUntilAsync(async () => (await Host.AdminAsync(HttpMethod.Get, client.Admin + "/books", null))["requests"]!.GetValue<long>() == 1);

        var refused = await client.GetAsync("Invoices");
        release.SetResult();
        using var finished = await inFlight;
        var after = await client.GetAsync("Invoices");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(refused.Header("X-Rate-Limit-Problem"), Is.EqualTo("concurrent"));
            Assert.That(finished.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the held body was not a payment");
            Assert.That(after.Status, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task Limits_are_set_through_the_admin_API_and_0_turns_one_off()
    {
        var client = await Host.NewOrganisationAsync(new JsonObject { ["requestsPerMinute"] = 1, ["requestsPerDay"] = 1000 });
        await client.GetAsync("Accounts");
        var refused = await client.GetAsync("Accounts");
        var limits = await Host.AdminAsync(HttpMethod.Put, client.Admin + "/limits", new JsonObject { ["requestsPerMinute"] = 0 });
        var replies = new List<XeroReply>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(await client.GetAsync("Accounts"));
        }

        await Host.AdminAsync(HttpMethod.Put, client.Admin + "/limits", new JsonObject { ["requestsPerMinute"] = -1 }, HttpStatusCode.BadRequest);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(limits["requestsPerMinute"]!.GetValue<int>(), Is.Zero);
            Assert.That(limits["requestsPerDay"]!.GetValue<int>(), Is.EqualTo(1000));
            Assert.That(replies.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(replies[^1].Header("X-MinLimit-Remaining"), Is.Null, "no header for a limit that is off");
            Assert.That(replies[^1].Header("X-DayLimit-Remaining"), Is.EqualTo("994"));
        }
    }
}
