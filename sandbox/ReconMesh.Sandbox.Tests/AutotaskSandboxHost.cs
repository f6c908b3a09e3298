using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using ReconMesh.Sandbox.Autotask;

namespace ReconMesh.Sandbox.Tests;

/// <summary>A real HTTP server on a free loopback port running only the Autotask simulator (and, if asked, fault injection).</summary>
internal sealed class AutotaskSandboxHost : IAsyncDisposable
{
    public const string DefaultUser = "sandbox-api@reconmesh.test";

    private readonly WebApplication _app;

    private AutotaskSandboxHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Http { get; }

    /// <summary>Starts the simulator with the limits off (unless <paramref name="limitsOff"/> is false).</summary>
    public static async Task<AutotaskSandboxHost> StartAsync(TimeProvider? time = null, bool faults = false, bool limitsOff = true)
    {
        var noLimits = new Dictionary<string, string?>
        {
            ["Sandbox:Autotask:RequestsPerHour"] = "0",
            ["Sandbox:Autotask:ThreadsPerEndpoint"] = "0",
        };
        var (app, address) = await SandboxTestServer.StartAsync([limitsOff ? noLimits : null], time, faults,
            (services, configuration) => services.AddAutotaskSimulator(configuration), app => app.MapAutotaskSimulator());
        return new AutotaskSandboxHost(app, address);
    }

    /// <summary>A fresh database (via the admin API) so that a test sees only its own data.</summary>
    public async Task<AutotaskTestClient> NewDatabaseAsync(JsonObject? settings = null)
    {
        var created = await AdminAsync(HttpMethod.Post, "/admin/autotask/databases", settings ?? new JsonObject(), HttpStatusCode.Created);
        return new AutotaskTestClient(this, created["databaseId"]!.GetValue<string>(), created["userName"]!.GetValue<string>(),
            created["secret"]!.GetValue<string>(), created["integrationCode"]!.GetValue<string>());
    }

    /// <summary>Calls the admin API and expects <paramref name="expected"/>, returning the JSON answer.</summary>
    public Task<JsonNode> AdminAsync(HttpMethod method, string path, JsonNode? body, HttpStatusCode expected = HttpStatusCode.OK) =>
        SandboxTestServer.AdminAsync(Http, method, path, body, expected);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What an Autotask answer looked like on the wire.</summary>
internal sealed record AutotaskReply(HttpStatusCode Status, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");

    /// <summary>The messages of an <c>{"errors":[…]}</c> body.</summary>
    public IReadOnlyList<string> Errors => [.. Json["errors"]!.AsArray().Select(e => e!.GetValue<string>())];

    public override string ToString() => $"{(int)Status} {Body}";
}

/// <summary>Talks to one database the way a client written from Autotask's docs does (the three headers).</summary>
internal sealed class AutotaskTestClient(AutotaskSandboxHost host, string databaseId, string userName, string secret, string integrationCode)
{
    public string DatabaseId { get; } = databaseId;

    public string UserName { get; } = userName;

    public string Secret { get; } = secret;

    public string IntegrationCode { get; } = integrationCode;

    public string Admin => $"/admin/autotask/databases/{DatabaseId}";

    /// <summary>The same database through another API user (another integration, another tracking identifier).</summary>
    public AutotaskTestClient As(string otherUser, string otherSecret, string otherCode) => new(host, DatabaseId, otherUser, otherSecret, otherCode);

    public Task<AutotaskReply> GetAsync(string relative) => SendAsync(HttpMethod.Get, relative, null);

    public Task<AutotaskReply> QueryAsync(string entity, JsonNode search) =>
        GetAsync($"{entity}/query?search={Uri.EscapeDataString(search.ToJsonString())}");

    public Task<AutotaskReply> PostAsync(string relative, JsonNode body) => SendAsync(HttpMethod.Post, relative, body.ToJsonString());

    public Task<AutotaskReply> PatchAsync(string relative, JsonNode body) => SendAsync(HttpMethod.Patch, relative, body.ToJsonString());

    /// <summary>A call under <c>/ATServicesRest/V1.0/</c> (or an absolute URL, such as a nextPageUrl) with the headers, each of which may be overridden ("" leaves it out).</summary>
    public async Task<AutotaskReply> SendAsync(HttpMethod method, string relative, string? body,
        string? user = null, string? secretOverride = null, string? code = null)
    {
        var uri = Uri.TryCreate(relative, UriKind.Absolute, out var absolute) ? absolute : new Uri("/ATServicesRest/V1.0/" + relative, UriKind.Relative);
        using var request = new HttpRequestMessage(method, uri);
        foreach (var (name, value) in new[] { ("UserName", user ?? UserName), ("Secret", secretOverride ?? Secret), ("ApiIntegrationCode", code ?? IntegrationCode) })
        {
            if (value.Length > 0)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await host.Http.SendAsync(request);
        return new AutotaskReply(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonArray> ItemsAsync(string entity, JsonNode search)
    {
        var reply = await QueryAsync(entity, search);
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        return reply.Json["items"]!.AsArray();
    }

    public async Task<long> AddCompanyAsync(string name, string email = "ap@acme.test")
    {
        var created = await host.AdminAsync(HttpMethod.Post, Admin + "/companies",
            new JsonObject { ["companyName"] = name, ["firstName"] = "Ana", ["lastName"] = "Silva", ["emailAddress"] = email }, HttpStatusCode.Created);
        return created["companyId"]!.GetValue<long>();
    }

    public async Task<(long Id, string Number)> AddInvoiceAsync(long companyId, decimal total, string? number = null, string? date = null)
    {
        var created = await host.AdminAsync(HttpMethod.Post, Admin + "/invoices", new JsonObject
        {
            ["companyId"] = companyId, ["invoiceTotal"] = total, ["invoiceNumber"] = number, ["invoiceDate"] = date,
        }, HttpStatusCode.Created);
        return (created["invoiceId"]!.GetValue<long>(), created["invoiceNumber"]!.GetValue<string>());
    }

    public Task<JsonNode> BooksAsync() => host.AdminAsync(HttpMethod.Get, Admin + "/books", null);

    /// <summary>A search of one filter item.</summary>
    public static JsonObject Filter(string op, string field, JsonNode? value = null) => new()
    {
        ["filter"] = new JsonArray(Item(op, field, value)),
    };

    public static JsonObject Item(string op, string field, JsonNode? value = null)
    {
        var item = new JsonObject { ["op"] = op, ["field"] = field };
        if (value is not null)
        {
            item["value"] = value;
        }

        return item;
    }
}
