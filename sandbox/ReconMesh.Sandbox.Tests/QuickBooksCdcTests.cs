using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>Change Data Capture of the QuickBooks simulator, over real HTTP.</summary>
[TestFixture]
public sealed class QuickBooksCdcTests
{
    private static readonly string[] DeletedKeys = ["status", "domain", "Id", "MetaData"];

    private QuickBooksSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _host = await QuickBooksSandboxHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:QuickBooks:RequestsPerMinute"] = "0",
            ["Sandbox:QuickBooks:MaxConcurrent"] = "0",
        });

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task CDC_returns_one_QueryResponse_per_entity_with_deleted_objects_after_active_ones()
    {
        var company = await _host.NewCompanyAsync();
        var customer = await company.CreateCustomerAsync("Change Capture Ltd");
        var kept = await company.CreateInvoiceAsync(Str(customer["Id"]), 50m);
        var removed = await company.CreateInvoiceAsync(Str(customer["Id"]), 20m);
        var deleted = await company.PostAsync("invoice?operation=delete", new JsonObject { ["Id"] = Str(removed["Id"]), ["SyncToken"] = "0" });
        Assert.That(deleted.Status, Is.EqualTo(HttpStatusCode.OK), deleted.ToString());

        var reply = await Cdc(company, "Invoice,Payment,Customer,Deposit", DateTimeOffset.UtcNow.AddHours(-1));

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        var cdc = reply.Json["CDCResponse"]!.AsArray();
        Assert.That(cdc, Has.Count.EqualTo(1));
        var responses = cdc[0]!["QueryResponse"]!.AsArray();
        Assert.That(responses, Has.Count.EqualTo(4));
        var invoices = responses[0]!["Invoice"]!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(invoices, Has.Count.EqualTo(2));
            Assert.That(Str(invoices[0]!["Id"]), Is.EqualTo(Str(kept["Id"])));
            Assert.That(Dec(invoices[0]!["TotalAmt"]), Is.EqualTo(50m), "active objects in full");
            Assert.That(Str(invoices[1]!["Id"]), Is.EqualTo(Str(removed["Id"])));
            Assert.That(Str(invoices[1]!["status"]), Is.EqualTo("Deleted"));
            Assert.That(Str(invoices[1]!["domain"]), Is.EqualTo("QBO"));
            Assert.That(invoices[1]!.AsObject().Select(p => p.Key), Is.EquivalentTo(DeletedKeys));
            Assert.That(invoices[1]!["MetaData"]!["LastUpdatedTime"], Is.Not.Null);
            Assert.That(responses[0]!["startPosition"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(responses[0]!["maxResults"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(responses[1]!.AsObject(), Is.Empty, "no payments changed");
            Assert.That(Str(responses[2]!["Customer"]![0]!["Id"]), Is.EqualTo(Str(customer["Id"])));
            Assert.That(responses[3]!.AsObject(), Is.Empty, "no deposits changed");
            Assert.That(reply.Json["time"], Is.Not.Null);
        }
    }

    [Test]
    public async Task CDC_looks_back_at_most_30_days_and_needs_known_entities()
    {
        var company = await _host.NewCompanyAsync();

        var tooOld = await Cdc(company, "Invoice", DateTimeOffset.UtcNow.AddDays(-31));
        var withinLimit = await Cdc(company, "Invoice", DateTimeOffset.UtcNow.AddDays(-29));
        var unknownEntity = await Cdc(company, "Invoice,Spaceship", DateTimeOffset.UtcNow.AddHours(-1));
        var noSince = await company.GetAsync("cdc?entities=Invoice");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tooOld.Status, Is.EqualTo(HttpStatusCode.BadRequest), tooOld.ToString());
            Assert.That(Str(tooOld.FaultError["Detail"]), Does.Contain("30 days"));
            Assert.That(Str(tooOld.Json["Fault"]!["type"]), Is.EqualTo("ValidationFault"));
            Assert.That(withinLimit.Status, Is.EqualTo(HttpStatusCode.OK), withinLimit.ToString());
            Assert.That(unknownEntity.Status, Is.EqualTo(HttpStatusCode.BadRequest), unknownEntity.ToString());
            Assert.That(noSince.Code, Is.EqualTo("2020"), noSince.ToString());
        }
    }

    [Test]
    public async Task CDC_of_a_window_after_the_changes_is_empty()
    {
        var company = await _host.NewCompanyAsync();
        await company.CreateCustomerAsync("Quiet Customer");

        var reply = await Cdc(company, "Customer", DateTimeOffset.UtcNow.AddHours(1));

        Assert.That(reply.Json["CDCResponse"]![0]!["QueryResponse"]![0]!.AsObject(), Is.Empty, reply.ToString());
    }

    private static Task<QboReply> Cdc(QboTestClient company, string entities, DateTimeOffset since) =>
        company.GetAsync($"cdc?entities={entities}&changedSince="
            + Uri.EscapeDataString(since.ToOffset(TimeSpan.FromHours(-8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)));

    private static string Str(JsonNode? node) => node?.GetValue<string>() ?? throw new AssertionException("missing string value");

    private static decimal Dec(JsonNode? node) => node?.GetValue<decimal>() ?? throw new AssertionException("missing number value");
}
