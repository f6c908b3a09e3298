using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// The Autotask query language: each filter operator, nested and/or groups, GET and POST queries, IncludeFields,
/// MaxRecords, paging by id through nextPageUrl and prevPageUrl, the count endpoint, and the errors of bad queries.
/// One database with five companies is shared by the fixture (queries only read it).
/// </summary>
[TestFixture]
public sealed class AutotaskQueryTests
{
    private static readonly string[] Names = ["Harbor Dental", "Summit Logistics", "Cedar Legal", "Harbor Foods", "Meridian Realty"];

    private AutotaskSandboxHost _host = null!;
    private AutotaskTestClient _client = null!;
    private readonly List<long> _companyIds = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await AutotaskSandboxHost.StartAsync();
        _client = await _host.NewDatabaseAsync();
        foreach (var name in Names)
        {
            _companyIds.Add(await _client.AddCompanyAsync(name));
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [TestCase("eq", "companyName", "\"harbor dental\"", new[] { "Harbor Dental" })]
    [TestCase("noteq", "companyName", "\"Harbor Dental\"", new[] { "Summit Logistics", "Cedar Legal", "Harbor Foods", "Meridian Realty" })]
    [TestCase("beginsWith", "companyName", "\"Harbor\"", new[] { "Harbor Dental", "Harbor Foods" })]
    [TestCase("endsWith", "companyName", "\"legal\"", new[] { "Cedar Legal" })]
    [TestCase("contains", "companyName", "\"ea\"", new[] { "Meridian Realty" })]
    [TestCase("in", "companyName", "[\"Cedar Legal\",\"Harbor Foods\",\"Nobody\"]", new[] { "Cedar Legal", "Harbor Foods" })]
    [TestCase("notIn", "companyName", "[\"Cedar Legal\",\"Harbor Foods\"]", new[] { "Harbor Dental", "Summit Logistics", "Meridian Realty" })]
    [TestCase("exist", "billToAttention", null, new[] { "Harbor Dental", "Summit Logistics", "Cedar Legal", "Harbor Foods", "Meridian Realty" })]
    [TestCase("notExist", "billToAttention", null, new string[0])]
    [TestCase("notExist", "taxID", null, new[] { "Harbor Dental", "Summit Logistics", "Cedar Legal", "Harbor Foods", "Meridian Realty" })]
    [TestCase("eq", "isActive", "true", new[] { "Harbor Dental", "Summit Logistics", "Cedar Legal", "Harbor Foods", "Meridian Realty" })]
    public async Task Each_operator_selects_what_it_should(string op, string field, string? value, string[] expected)
    {
        var items = await _client.ItemsAsync("Companies", AutotaskTestClient.Filter(op, field, value is null ? null : JsonNode.Parse(value)));

        Assert.That(items.Select(i => i!["companyName"]!.GetValue<string>()), Is.EquivalentTo(expected));
    }

    [TestCase("gt", 1, new[] { 2, 3, 4 })]
    [TestCase("gte", 1, new[] { 1, 2, 3, 4 })]
    [TestCase("lt", 1, new[] { 0 })]
    [TestCase("lte", 1, new[] { 0, 1 })]
    public async Task Comparisons_order_numbers(string op, int index, int[] expected)
    {
        var items = await _client.ItemsAsync("Companies", AutotaskTestClient.Filter(op, "id", _companyIds[index]));

        Assert.That(items.Select(i => i!["id"]!.GetValue<long>()), Is.EqualTo(expected.Select(e => _companyIds[e])));
    }

    [Test]
    public async Task And_and_or_groups_nest()
    {
        var search = new JsonObject
        {
            ["filter"] = new JsonArray(
                new JsonObject
                {
                    ["op"] = "or",
                    ["items"] = new JsonArray(
                        AutotaskTestClient.Item("beginsWith", "companyName", "Harbor"),
                        new JsonObject
                        {
                            ["op"] = "and",
                            ["items"] = new JsonArray(AutotaskTestClient.Item("contains", "companyName", "Legal"), AutotaskTestClient.Item("eq", "isActive", true)),
                        }),
                },
                AutotaskTestClient.Item("noteq", "companyName", "Harbor Foods")),
        };

        var items = await _client.ItemsAsync("Companies", search);

        Assert.That(items.Select(i => i!["companyName"]!.GetValue<string>()), Is.EqualTo(new[] { "Harbor Dental", "Cedar Legal" }));
    }

    [Test]
    public async Task A_POST_query_is_the_same_as_a_GET_and_IncludeFields_narrows_the_items()
    {
        var search = AutotaskTestClient.Filter("beginsWith", "companyName", "Harbor");
        search["IncludeFields"] = new JsonArray("ID", "CompanyName");
        var viaGet = await _client.QueryAsync("Companies", search);
        var viaPost = await _client.PostAsync("Companies/query", search);
        var contacts = await _client.PostAsync("Contacts/query", new JsonObject
        {
            ["filter"] = new JsonArray(AutotaskTestClient.Item("eq", "companyID", _companyIds[2]), AutotaskTestClient.Item("eq", "primaryContact", true)),
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(viaPost.Body, Is.EqualTo(viaGet.Body));
            var first = viaGet.Json["items"]![0]!.AsObject();
            Assert.That(first.Select(p => p.Key), Is.EqualTo(new[] { "id", "companyName", "userDefinedFields" }));
            Assert.That(contacts.Json["items"]!.AsArray().Single()!["emailAddress"]!.GetValue<string>(), Is.EqualTo("ap@acme.test"));
        }
    }

    [Test]
    public async Task Pages_follow_nextPageUrl_by_id_and_come_back_with_prevPageUrl()
    {
        var search = AutotaskTestClient.Filter("gt", "id", 0);
        search["MaxRecords"] = 2;
        var first = (await _client.QueryAsync("Companies", search)).Json;
        var second = (await _client.GetAsync(first["pageDetails"]!["nextPageUrl"]!.GetValue<string>())).Json;
        var third = (await _client.GetAsync(second["pageDetails"]!["nextPageUrl"]!.GetValue<string>())).Json;
        var back = (await _client.GetAsync(third["pageDetails"]!["prevPageUrl"]!.GetValue<string>())).Json;
        var backToFirst = (await _client.GetAsync(back["pageDetails"]!["prevPageUrl"]!.GetValue<string>())).Json;
        static IEnumerable<long> Ids(JsonNode page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first["pageDetails"]!["count"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(first["pageDetails"]!["requestCount"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(first["pageDetails"]!["prevPageUrl"], Is.Null);
            Assert.That(first["pageDetails"]!["nextPageUrl"]!.GetValue<string>(), Does.Contain("/ATServicesRest/V1.0/Companies/query/next?paging="));
            Assert.That(Ids(first).Concat(Ids(second)).Concat(Ids(third)), Is.EqualTo(_companyIds));
            Assert.That(third["pageDetails"]!["count"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(third["pageDetails"]!["nextPageUrl"], Is.Null);
            Assert.That(Ids(back), Is.EqualTo(Ids(second)));
            Assert.That(Ids(backToFirst), Is.EqualTo(Ids(first)));
            Assert.That(backToFirst["pageDetails"]!["prevPageUrl"], Is.Null);
        }
    }

    [Test]
    public async Task A_POSTed_querys_next_page_is_POSTed_again_with_the_same_body_and_a_GET_of_it_is_a_405()
    {
        var search = AutotaskTestClient.Filter("gt", "id", 0);
        search["MaxRecords"] = 3;
        var first = (await _client.PostAsync("Companies/query", search)).Json;
        var next = first["pageDetails"]!["nextPageUrl"]!.GetValue<string>();
        var second = await _client.SendAsync(HttpMethod.Post, next, search.ToJsonString());
        var asGet = await _client.GetAsync(next);
        var paging = Uri.UnescapeDataString(next[(next.IndexOf("paging=", StringComparison.Ordinal) + 7)..]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(next, Does.Not.Contain("search="));
            Assert.That(paging, Is.EqualTo($"{{\"pageSize\":3,\"previousIds\":[-1],\"nextIds\":[{_companyIds[2]}]}}"));
            Assert.That(second.Json["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()), Is.EqualTo(_companyIds.Skip(3)));
            Assert.That(second.Json["pageDetails"]!["prevPageUrl"], Is.Not.Null);
            Assert.That(asGet.Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(asGet.Json["Message"]!.GetValue<string>(), Is.EqualTo("The requested resource does not support http method 'GET'."));
        }
    }

    [Test]
    public async Task A_search_in_single_quotes_is_read_as_Autotasks_Json_NET_reads_it()
    {
        var reply = await _client.GetAsync("Companies/query?search=" + Uri.EscapeDataString("{'filter':[{'op':'beginsWith','field':'companyName','value':'Harbor'},{'op':'exist','field':'IsActive'}]}"));

        Assert.That(reply.Json["items"]!.AsArray().Select(i => i!["companyName"]!.GetValue<string>()), Is.EqualTo(new[] { "Harbor Dental", "Harbor Foods" }));
    }

    [Test]
    public async Task The_count_endpoint_counts_what_the_query_would_return()
    {
        var search = AutotaskTestClient.Filter("beginsWith", "companyName", "Harbor");
        var viaGet = await _client.GetAsync("Companies/query/count?search=" + Uri.EscapeDataString(search.ToJsonString()));
        var viaPost = await _client.PostAsync("Companies/query/count", AutotaskTestClient.Filter("gt", "id", 0));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(viaGet.Json["queryCount"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(viaPost.Json["queryCount"]!.GetValue<int>(), Is.EqualTo(5));
        }
    }

    [TestCase("{\"filter\":[{\"op\":\"eq\",\"field\":\"colour\",\"value\":\"red\"}]}", "Unable to find colour in the Company Entity.")]
    [TestCase("{\"filter\":[{\"op\":\"like\",\"field\":\"companyName\",\"value\":\"a\"}]}", "'like' is not a valid filter operator.")]
    [TestCase("{\"filter\":[{\"op\":\"eq\",\"field\":\"isActive\",\"value\":\"yes\"}]}", "isActive")]
    [TestCase("{\"filter\":[{\"op\":\"eq\",\"field\":\"id\"}]}", "id")]
    [TestCase("{\"filter\":[{\"op\":\"contains\",\"field\":\"id\",\"value\":\"1\"}]}", "id")]
    [TestCase("{\"filter\":[{\"op\":\"gt\",\"field\":\"id\",\"value\":0}],\"MaxRecords\":501}", "MaxRecords must be between 1 and 500.")]
    [TestCase("{\"filter\":[{\"op\":\"gt\",\"field\":\"id\",\"value\":0}],\"IncludeFields\":[\"nope\"]}", "nope")]
    [TestCase("{\"filter\":[]}", "filter")]
    [TestCase("{}", "filter")]
    [TestCase("{not json", "JSON")]
    public async Task A_bad_query_is_refused_with_an_errors_body(string search, string expected)
    {
        var reply = await _client.GetAsync("Companies/query?search=" + Uri.EscapeDataString(search));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.InternalServerError), reply.ToString());
            Assert.That(reply.Errors.Single(), Does.Contain(expected));
        }
    }

    [Test]
    public async Task Invoices_dueDate_cannot_be_queried_and_more_than_500_OR_conditions_are_refused()
    {
        var dueDate = await _client.QueryAsync("Invoices", AutotaskTestClient.Filter("gt", "dueDate", "2026-01-01"));
        var ors = new JsonArray([.. Enumerable.Range(1, 501).Select(i => (JsonNode)AutotaskTestClient.Item("eq", "id", i))]);
        var tooMany = await _client.PostAsync("Companies/query", new JsonObject { ["filter"] = new JsonArray(new JsonObject { ["op"] = "or", ["items"] = ors }) });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dueDate.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(dueDate.Errors.Single(), Does.Contain("dueDate"));
            Assert.That(tooMany.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(tooMany.Errors.Single(), Is.EqualTo("Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions."));
        }
    }
}
