using System.Net;
using System.Text;
using System.Text.Json;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Autotask;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Http;
using ReconMesh.InvoiceIngest.Sync;

namespace ReconMesh.UnitTests.InvoiceIngest;

/// <summary>
/// What a page of Autotask invoices becomes (<see cref="AutotaskInvoiceSource"/>): open ones owe their total, paid ones
/// (a paid date) nothing, voided ones are to be archived, malformed ones are rejected with the reason; the currency is
/// the connection's; each company's billing contact is the one its invoices are addressed to (billToAttention), else its
/// primary contact. And what is asked: queries by id pages with Autotask's filters, the three credential headers, at the
/// zone looked up by user (which is not sent the secret) or given.
/// </summary>
public sealed class When_an_Autotask_page_is_read
{
    private sealed record Asked(string Method, string Path, string Body, IReadOnlyDictionary<string, string> Headers, bool Replayable);

    private sealed class Transport(bool morePages = false) : HttpMessageHandler
    {
        public List<Asked> Asked { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Asked.Add(new Asked(request.Method.Method, Uri.UnescapeDataString(request.RequestUri!.PathAndQuery), body,
                request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value)), IdempotentRequests.IsReplayable(request)));
            var path = request.RequestUri.AbsolutePath;
            var answer = path switch
            {
                _ when path.EndsWith("/zoneInformation", StringComparison.Ordinal) =>
                    """{"zoneName":"Pre-Release","url":"https://webservices15.autotask.net/ATServicesRest/","webUrl":"https://ww15.autotask.net/","ci":7}""",
                _ when path.EndsWith("/Invoices/query", StringComparison.Ordinal) => Page(
                    Invoice(101, 1, "1234.56") + "," + Invoice(102, 2, "99.99", paid: true) + "," + Invoice(103, 1, "50.00", voided: true) + ","
                    + Invoice(104, 1, "null") + "," + Invoice(105, 1, "10.005") + "," + Invoice(106, 1, "20.00", number: "12\u0007") + ","
                    + Invoice(3_000_000_000, 1, "30.00"), morePages),
                _ when path.EndsWith("/Companies/query", StringComparison.Ordinal) => Page(
                    """{"id":1,"companyName":"Harbor Dental","billToAttention":"Ana Silva","userDefinedFields":[]},{"id":2,"companyName":"Summit Legal","billToAttention":null,"userDefinedFields":[]}""",
                    false),
                _ => Page(
                    Contact(11, 1, "Ben", "Okafor", "ben@harbor.test", primary: true) + "," + Contact(12, 1, "Ana", "Silva", "ap@harbor.test", primary: false) + ","
                    + Contact(21, 2, "Chloe", "Nguyen", "chloe@summit.test", primary: true) + "," + Contact(22, 2, "Dev", "Meyer", "it@summit.test", primary: false),
                    false),
            };
            return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent(answer, Encoding.UTF8, "application/json") };
        }

        private static string Page(string items, bool more) =>
            $$$"""{"items":[{{{items}}}],"pageDetails":{"count":1,"requestCount":500,"prevPageUrl":null,"nextPageUrl":{{{(more ? "\"https://webservices15.autotask.net/ATServicesRest/V1.0/Invoices/query/next?paging=x\"" : "null")}}}}}""";

        private static string Invoice(long id, long company, string total, bool paid = false, bool voided = false, string? number = null) =>
            $$"""{"id":{{id}},"companyID":{{company}},"invoiceNumber":{{JsonSerializer.Serialize(number ?? $"INV-{id}")}},"invoiceDateTime":"2026-11-20T00:00:00Z","createDateTime":"2026-11-20T08:30:00Z","invoiceTotal":{{total}},"totalTaxValue":0,"paidDate":{{(paid ? "\"2026-12-01T00:00:00Z\"" : "null")}},"isVoided":{{(voided ? "true" : "false")}},"voidedDate":{{(voided ? "\"2026-12-02T10:00:00Z\"" : "null")}},"dueDate":"2026-12-20T00:00:00Z","webServiceDate":null}""";

        private static string Contact(long id, long company, string first, string last, string email, bool primary) =>
            $$"""{"id":{{id}},"companyID":{{company}},"firstName":"{{first}}","lastName":"{{last}}","emailAddress":"{{email}}","phone":"555-0101","isActive":1,"primaryContact":{{(primary ? "true" : "false")}},"userDefinedFields":[]}""";
    }

    private static ConnectionSettings Connection(Uri? zone = null, string? currency = null) => new()
    {
        Id = Guid.NewGuid(), TenantId = "acme", Kind = IntegrationKind.AutotaskPsa, BaseUrl = new Uri("https://webservices.autotask.net/"),
        UserName = "api@acme.test", Secret = "s3cret", IntegrationCode = "ACMECODE", ZoneUrl = zone, Currency = currency,
    };

    private static async Task<(InvoicePage Page, Transport Transport)> ReadAsync(bool changedSince, ConnectionSettings? connection = null,
        bool morePages = false, int position = 1)
    {
        var transport = new Transport(morePages);
        var source = new AutotaskInvoiceSource(new AutotaskClientFactory(new ScriptedIntegration(transport), ScriptedIntegration.Resilience()));
        var now = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
        connection ??= Connection();
        var page = changedSince
            ? await source.ReadChangedAsync(connection, now.AddMinutes(-5), position, now, CancellationToken.None)
            : await source.ReadAllAsync(connection, position, now, CancellationToken.None);
        return (page, transport);
    }

    private static JsonElement Filter(Asked asked) => JsonDocument.Parse(asked.Body).RootElement.GetProperty("filter");

    [Test]
    public async Task Should_hold_open_invoices_at_their_total_paid_ones_at_nothing_and_archive_voided_ones()
    {
        var (page, _) = await ReadAsync(changedSince: true);

        Assert.That(page.Invoices.Select(i => (i.ExternalId, i.Number, i.CustomerName, i.Total, i.Balance)), Is.EqualTo(new[]
        {
            ("101", "INV-101", "Harbor Dental", 1234.56m, 1234.56m), ("102", "INV-102", "Summit Legal", 99.99m, 0m),
        }));
        Assert.That(page.Voided, Is.EqualTo(new[] { "103" }));
        var open = page.Invoices[0];
        Assert.That((open.Currency, open.IssueDate, open.DueDate, open.Integration), Is.EqualTo(("USD", new DateOnly(2026, 11, 20), (DateOnly?)new DateOnly(2026, 12, 20), IntegrationKind.AutotaskPsa)));
    }

    [Test]
    public async Task Should_reject_malformed_invoices_each_with_its_reason()
    {
        var (page, _) = await ReadAsync(changedSince: false);

        var reasons = page.Rejected.ToDictionary(r => r.ExternalId, r => r.Reason);
        Assert.That(reasons.Keys, Is.EquivalentTo(new[] { "104", "105", "106", "3000000000" }));
        Assert.That(reasons["104"], Does.Contain("no invoiceTotal"));
        Assert.That(reasons["105"], Does.Contain("decimal places"));
        Assert.That(reasons["106"], Does.Contain("invoice number"));
        Assert.That(reasons["3000000000"], Does.Contain("outside"));
        Assert.That(page.RowsRead, Is.EqualTo(7));
    }

    [Test]
    public async Task Should_take_the_connections_currency_as_the_invoices_carry_none()
    {
        var (page, _) = await ReadAsync(changedSince: false, Connection(currency: "CAD"));

        Assert.That(page.Invoices.Select(i => i.Currency).Distinct(), Is.EqualTo(new[] { "CAD" }));
    }

    [Test]
    public async Task Should_take_the_contact_invoices_are_addressed_to_else_the_primary_one_as_billing_contact()
    {
        var (page, _) = await ReadAsync(changedSince: false);

        Assert.That(page.Contacts.OrderBy(c => c.CustomerExternalId).Select(c => (c.CustomerExternalId, c.CustomerName, c.ContactName, c.Email)), Is.EqualTo(new[]
        {
            ("1", "Harbor Dental", "Ana Silva", "ap@harbor.test"), ("2", "Summit Legal", "Chloe Nguyen", "chloe@summit.test"),
        }));
    }

    [Test]
    public async Task Should_read_open_invoices_by_id_pages_with_autotasks_filters_and_credentials()
    {
        var (page, transport) = await ReadAsync(changedSince: false, position: 90, morePages: true);

        var invoices = transport.Asked.Single(a => a.Path.EndsWith("/Invoices/query", StringComparison.Ordinal));
        Assert.That((invoices.Method, invoices.Path), Is.EqualTo(("POST", "/ATServicesRest/V1.0/Invoices/query")));
        Assert.That(Filter(invoices).ToString(), Is.EqualTo(
            """[{"op":"gt","field":"id","value":89},{"op":"eq","field":"isVoided","value":false},{"op":"notExist","field":"paidDate"}]"""));
        var root = JsonDocument.Parse(invoices.Body).RootElement;
        Assert.That(root.GetProperty("MaxRecords").GetInt32(), Is.EqualTo(500));
        Assert.That(root.GetProperty("IncludeFields").EnumerateArray().Select(f => f.GetString()), Does.Contain("paidDate").And.Contain("companyID"));
        Assert.That((invoices.Headers["ApiIntegrationCode"], invoices.Headers["UserName"], invoices.Headers["Secret"]), Is.EqualTo(("ACMECODE", "api@acme.test", "s3cret")));
        Assert.That((page.NextPosition, page.IsLast), Is.EqualTo((107, false)), "one above the last id ReconMesh pages by; more pages follow");
        Assert.That(transport.Asked.Select(a => a.Replayable), Is.All.True, "queries only read: a throttled or lost one is asked again");
        var contacts = transport.Asked.Single(a => a.Path.EndsWith("/Contacts/query", StringComparison.Ordinal));
        Assert.That(Filter(contacts).ToString(), Is.EqualTo(
            """[{"op":"in","field":"companyID","value":[1,2]},{"op":"eq","field":"isActive","value":1},{"op":"gt","field":"id","value":0}]"""));
    }

    [Test]
    public async Task Should_read_changes_as_invoices_made_voided_or_paid_since()
    {
        var (page, transport) = await ReadAsync(changedSince: true);

        Assert.That(Filter(transport.Asked.Single(a => a.Path.EndsWith("/Invoices/query", StringComparison.Ordinal))).ToString(), Is.EqualTo(
            """[{"op":"gt","field":"id","value":0},{"op":"or","items":[{"op":"gte","field":"createDateTime","value":"2026-12-05T11:55:00Z"},""" +
            """{"op":"gte","field":"voidedDate","value":"2026-12-05T11:55:00Z"},{"op":"gte","field":"paidDate","value":"2026-12-05T00:00:00Z"}]}]"""));
        Assert.That(page.LatestUpdate, Is.EqualTo(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero)), "the latest made or voided time");
        Assert.That(page.IsLast, Is.True);
    }

    [Test]
    public async Task Should_look_the_zone_up_by_user_without_the_credentials_then_call_the_zone()
    {
        var (_, transport) = await ReadAsync(changedSince: false);

        var lookUp = transport.Asked[0];
        Assert.That((lookUp.Method, lookUp.Path), Is.EqualTo(("GET", "/atservicesrest/v1.0/zoneInformation?user=api@acme.test")));
        Assert.That(lookUp.Headers.Keys, Has.None.EqualTo("Secret").And.None.EqualTo("UserName"));
        Assert.That(transport.Asked.Skip(1).Select(a => a.Path), Has.All.StartWith("/ATServicesRest/V1.0/"));
    }

    [Test]
    public async Task Should_call_a_given_zone_without_looking_it_up()
    {
        var (_, transport) = await ReadAsync(changedSince: false, Connection(zone: new Uri("https://webservices2.autotask.net")));

        Assert.That(transport.Asked.Select(a => a.Path), Has.None.Contains("zoneInformation"));
        Assert.That(transport.Asked[0].Path, Is.EqualTo("/ATServicesRest/V1.0/Invoices/query"));
    }

    [Test]
    public async Task Should_check_the_open_invoices_held_by_id_and_take_each_ones_current_state()
    {
        var transport = new Transport();
        var source = new AutotaskInvoiceSource(new AutotaskClientFactory(new ScriptedIntegration(transport), ScriptedIntegration.Resilience()));

        var page = await source.RecheckAsync(Connection(zone: new Uri("https://webservices2.autotask.net")), ["102", "101", "103", "x", "101"],
            DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.That(Filter(transport.Asked[0]).ToString(),
            Is.EqualTo("[{\"op\":\"in\",\"field\":\"id\",\"value\":[101,102,103]},{\"op\":\"gt\",\"field\":\"id\",\"value\":0}]"));
        Assert.That(page.Invoices.Select(i => (i.ExternalId, i.Balance)), Is.EqualTo(new[] { ("101", 1234.56m), ("102", 0m) }), "the paid one owes nothing");
        Assert.That((page.Voided, page.IsLast), Is.EqualTo((new[] { "103" }, true)));
    }

    [TestCase("https://webservices2.autotask.net", "https://webservices2.autotask.net/ATServicesRest/")]
    [TestCase("https://webservices2.autotask.net/atservicesrest/v1.0/", "https://webservices2.autotask.net/atservicesrest/")]
    [TestCase("http://127.0.0.1:5000/ATServicesRest/", "http://127.0.0.1:5000/ATServicesRest/")]
    public void Should_take_a_zone_named_by_host_rest_root_or_version(string given, string expected) =>
        Assert.That(AutotaskClientFactory.RestBase(new Uri(given)), Is.EqualTo(new Uri(expected)));
}
