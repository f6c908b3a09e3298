using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// The QuickBooks simulator answers queries on Id, DocNumber and MetaData.LastUpdatedTime, and CDC, from indexes, keeps
/// customer balances from each customer's own invoices, and keeps requestid answers for a bounded number and time.
/// These tests check that the answers are those of a plain scan after every kind of change.
/// </summary>
[TestFixture]
public sealed class QuickBooksIndexTests
{
    private QuickBooksSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await QuickBooksSandboxHost.StartAsync(new Dictionary<string, string?>
    {
        ["Sandbox:QuickBooks:RequestsPerMinute"] = "0",
        ["Sandbox:QuickBooks:MaxConcurrent"] = "0",
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Id_and_DocNumber_queries_follow_updates_deletes_and_literals_written_any_way()
    {
        var company = await _host.NewCompanyAsync();
        var customer = Str((await company.CreateCustomerAsync("Index Testers Ltd"))["Id"]);
        var a = await company.CreateInvoiceAsync(customer, new JsonObject { ["DocNumber"] = "IX-1" }, 10m);
        var b = await company.CreateInvoiceAsync(customer, new JsonObject { ["DocNumber"] = "IX-2" }, 20m);
        var c = await company.CreateInvoiceAsync(customer, new JsonObject { ["DocNumber"] = "IX-3" }, 30m);
        await company.WriteAsync("invoice", "Invoice", new JsonObject { ["Id"] = Str(b["Id"]), ["SyncToken"] = "0", ["sparse"] = true, ["DocNumber"] = "IX-20" });
        await company.PostAsync("invoice?operation=delete", new JsonObject { ["Id"] = Str(c["Id"]), ["SyncToken"] = "0" });

        var oldNumber = await company.QueryAsync("select * from Invoice where DocNumber = 'IX-2'");
        var newNumber = await company.QueryAsync("select * from Invoice where DocNumber = 'ix-20'");
        var deletedNumber = await company.QueryAsync("select * from Invoice where DocNumber = 'IX-3'");
        var padded = await company.QueryAsync($"select * from Invoice where Id in ('0{Str(a["Id"])}', ' {Str(b["Id"])}', '{Str(c["Id"])}', '999999')");
        var mixed = await company.QueryAsync($"select * from Invoice where Id in ('{Str(b["Id"])}', 'not-a-number', '{Str(a["Id"])}') orderby Id desc");
        var one = await company.QueryAsync($"select * from Invoice where Id = '{Str(a["Id"])}' and DocNumber = 'IX-1'");
        var duplicate = await company.PostAsync("invoice", NewInvoice(customer, "ix-20"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(oldNumber), Is.Empty, oldNumber.Body);
            Assert.That(Ids(newNumber), Is.EqualTo(new[] { Str(b["Id"]) }), "DocNumber compares ignoring case");
            Assert.That(Ids(deletedNumber), Is.Empty);
            Assert.That(Ids(padded), Is.EqualTo(new[] { Str(a["Id"]), Str(b["Id"]) }), "ids compare as numbers; deleted ones never match");
            Assert.That(Ids(mixed), Is.EqualTo(new[] { Str(b["Id"]), Str(a["Id"]) }));
            Assert.That(Ids(one), Is.EqualTo(new[] { Str(a["Id"]) }));
            Assert.That(duplicate.Code, Is.EqualTo("6140"), "the renamed number is taken: " + duplicate);
        }
    }

    [Test]
    public async Task Change_time_queries_and_CDC_see_what_a_payment_touched_and_customer_balances_follow()
    {
        var company = await _host.NewCompanyAsync();
        var customer = Str((await company.CreateCustomerAsync("Change Watchers LLC"))["Id"]);
        var first = await company.CreateInvoiceAsync(customer, 100m);
        var second = await company.CreateInvoiceAsync(customer, 50m);
        await company.WriteAsync("payment?requestid=ix-pay-1", "Payment", QboTestClient.PaymentBody(customer, 40m, (Str(first["Id"]), 40m)));
        var paid = await company.ReadAsync("Invoice", Str(first["Id"]));
        var stamp = Str(paid["MetaData"]!["LastUpdatedTime"]);

        var since = await company.QueryAsync($"select * from Invoice where MetaData.LastUpdatedTime >= '{stamp}' orderby MetaData.LastUpdatedTime");
        var after = await company.QueryAsync($"select * from Invoice where MetaData.LastUpdatedTime > '{stamp}'");
        var all = await company.QueryAsync("select * from Invoice where MetaData.LastUpdatedTime >= '2000-01-01' orderby MetaData.LastUpdatedTime desc");
        var cdc = await company.GetAsync($"cdc?entities=Invoice,Payment&changedSince={Uri.EscapeDataString(stamp)}");
        var owner = await company.ReadAsync("Customer", customer);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(since), Does.Contain(Str(first["Id"])), since.Body);
            var times = since.Json["QueryResponse"]!["Invoice"]!.AsArray().Select(r => DateTimeOffset.Parse(Str(r!["MetaData"]!["LastUpdatedTime"]), CultureInfo.InvariantCulture)).ToList();
            Assert.That(times, Is.Ordered);
            Assert.That(Ids(after), Is.Empty, after.Body);
            Assert.That(Ids(all), Is.EquivalentTo(new[] { Str(first["Id"]), Str(second["Id"]) }));
            Assert.That(Ids(all)[0], Is.EqualTo(Str(first["Id"])), "the paid invoice changed last");
            var responses = cdc.Json["CDCResponse"]![0]!["QueryResponse"]!.AsArray();
            Assert.That(responses[0]!["Invoice"]!.AsArray().Select(r => Str(r!["Id"])), Does.Contain(Str(first["Id"])), cdc.Body);
            Assert.That(responses[1]!["Payment"]!.AsArray(), Has.Count.EqualTo(1), cdc.Body);
            Assert.That(Dec(owner["Balance"]), Is.EqualTo(110m), "100 - 40 + 50");
        }
    }

    [Test]
    public async Task Reads_and_writes_side_by_side_lose_nothing()
    {
        var company = await _host.NewCompanyAsync();
        var customer = Str((await company.CreateCustomerAsync("Busy Readers Inc."))["Id"]);
        var invoices = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            invoices.Add(Str((await company.CreateInvoiceAsync(customer, 10m))["Id"]));
        }

        var ids = string.Join(",", invoices.Select(id => $"'{id}'"));
        var writes = invoices.Select((id, i) => company.PostAsync($"payment?requestid=busy-{i}", QboTestClient.PaymentBody(customer, 10m, (id, 10m))));
        var reads = Enumerable.Range(0, 10).Select(_ => company.QueryAsync($"select * from Invoice where Id in ({ids})"));
        var replies = await Task.WhenAll(writes.Concat(reads));
        var open = await company.QueryAsync("select count(*) from Invoice where Balance > '0'");
        var owner = await company.ReadAsync("Customer", customer);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(replies.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.OK), string.Join("\n", replies.Select(r => r.ToString())));
            Assert.That(open.Json["QueryResponse"]!["totalCount"]!.GetValue<int>(), Is.Zero, open.Body);
            Assert.That(Dec(owner["Balance"]), Is.Zero);
        }
    }

    [Test]
    public async Task A_requestid_is_replayed_only_while_it_is_among_the_newest_kept_and_younger_than_the_retention()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 3, 2, 17, 0, 0, TimeSpan.Zero));
        await using var host = await QuickBooksSandboxHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:QuickBooks:RequestsPerMinute"] = "0",
            ["Sandbox:QuickBooks:MaxConcurrent"] = "0",
            ["Sandbox:QuickBooks:RequestIdCapacity"] = "2",
            ["Sandbox:QuickBooks:RequestIdRetentionMinutes"] = "60",
        }, time: time);
        var company = await host.NewCompanyAsync();
        var customer = Str((await company.CreateCustomerAsync("Forgetful Retries Co."))["Id"]);
        var body = QboTestClient.PaymentBody(customer, 1m);

        var one = await company.PostAsync("payment?requestid=keep-1", body);
        var two = await company.PostAsync("payment?requestid=keep-2", body);
        var twoAgain = await company.PostAsync("payment?requestid=keep-2", body);
        var three = await company.PostAsync("payment?requestid=keep-3", body);
        var oneAgain = await company.PostAsync("payment?requestid=keep-1", body);
        time.Advance(TimeSpan.FromMinutes(61));
        var threeLater = await company.PostAsync("payment?requestid=keep-3", body);
        var books = await host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/books");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(twoAgain, Is.EqualTo(two), "kept: the same answer");
            Assert.That(PaymentId(oneAgain), Is.Not.EqualTo(PaymentId(one)), "pushed out by newer ones: a new payment");
            Assert.That(PaymentId(threeLater), Is.Not.EqualTo(PaymentId(three)), "older than the retention: a new payment");
            Assert.That(books["payments"]!.AsArray(), Has.Count.EqualTo(5));
        }
    }

    private static string PaymentId(QboReply reply) => Str(reply.Json["Payment"]!["Id"]);

    private static JsonObject NewInvoice(string customerId, string docNumber) => new()
    {
        ["CustomerRef"] = new JsonObject { ["value"] = customerId },
        ["DocNumber"] = docNumber,
        ["Line"] = new JsonArray(new JsonObject
        {
            ["DetailType"] = "SalesItemLineDetail",
            ["Amount"] = 5m,
            ["SalesItemLineDetail"] = new JsonObject { ["ItemRef"] = new JsonObject { ["value"] = "1" } },
        }),
    };

    private static string[] Ids(QboReply reply) =>
        reply.Json["QueryResponse"]!["Invoice"] is JsonArray rows ? [.. rows.Select(r => Str(r!["Id"]))] : [];

    private static string Str(JsonNode? node) => node!.GetValue<string>();

    private static decimal Dec(JsonNode? node) => node!.GetValue<decimal>();

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
