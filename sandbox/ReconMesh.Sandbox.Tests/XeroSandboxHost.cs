using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using ReconMesh.Sandbox.Xero;

namespace ReconMesh.Sandbox.Tests;

/// <summary>A real HTTP server on a free loopback port running only the Xero simulator (and, if asked, fault injection).</summary>
internal sealed class XeroSandboxHost : IAsyncDisposable
{
    public const string DefaultTenant = "6c2a3b8e-5d1f-4c7a-9e0b-2f4d6a8c0e1f";
    public const string DefaultToken = "sandbox-xero-token";

    private readonly WebApplication _app;

    private XeroSandboxHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Http { get; }

    /// <summary>Starts the simulator with the limits off (unless <paramref name="limitsOff"/> is false or <paramref name="settings"/> set them).</summary>
    public static async Task<XeroSandboxHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null, bool faults = false, bool limitsOff = true)
    {
        var noLimits = new Dictionary<string, string?>
        {
            ["Sandbox:Xero:RequestsPerMinute"] = "0",
            ["Sandbox:Xero:MaxConcurrent"] = "0",
            ["Sandbox:Xero:RequestsPerDay"] = "0",
        };
        var (app, address) = await SandboxTestServer.StartAsync([limitsOff ? noLimits : null, settings], time, faults,
            (services, configuration) => services.AddXeroSimulator(configuration), app => app.MapXeroSimulator());
        return new XeroSandboxHost(app, address);
    }

    /// <summary>A fresh organisation (via the admin API) so that a test sees only its own data.</summary>
    public async Task<XeroTestClient> NewOrganisationAsync(JsonObject? settings = null)
    {
        var body = settings ?? new JsonObject();
        body["accessToken"] ??= "token-" + Guid.NewGuid().ToString("N");
        var created = await AdminAsync(HttpMethod.Post, "/admin/xero/organisations", body, HttpStatusCode.Created);
        return new XeroTestClient(Http, created["tenantId"]!.GetValue<string>(), created["accessToken"]!.GetValue<string>());
    }

    /// <summary>Calls the admin API and expects <paramref name="expected"/>, returning the JSON answer.</summary>
    public async Task<JsonNode> AdminAsync(HttpMethod method, string path, JsonNode? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), text);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What a Xero answer looked like on the wire.</summary>
internal sealed record XeroReply(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    /// <summary>The messages of every element's ValidationErrors in a ValidationException.</summary>
    public IReadOnlyList<string> ValidationMessages => [.. Json["Elements"]!.AsArray()
        .SelectMany(e => e!["ValidationErrors"]?.AsArray() ?? [])
        .Select(v => v!["Message"]!.GetValue<string>())];

    public override string ToString() => $"{(int)Status} {Body}";
}

/// <summary>Talks to one organisation the way a client written from Xero's docs does (bearer token and xero-tenant-id).</summary>
internal sealed class XeroTestClient(HttpClient http, string tenantId, string accessToken)
{
    public string TenantId { get; } = tenantId;

    public string AccessToken { get; } = accessToken;

    public string Admin => $"/admin/xero/organisations/{TenantId}";

    public Task<XeroReply> GetAsync(string relative, IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Get, relative, null, headers);

    public Task<XeroReply> PutAsync(string relative, JsonNode body, IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Put, relative, body.ToJsonString(), headers);

    public Task<XeroReply> PostAsync(string relative, JsonNode body, IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, relative, body.ToJsonString(), headers);

    public async Task<XeroReply> SendAsync(HttpMethod method, string relative, string? body, IReadOnlyDictionary<string, string>? headers,
        string? token = null, string? tenant = null)
    {
        using var request = new HttpRequestMessage(method, new Uri("/api.xro/2.0/" + relative, UriKind.Relative));
        if ((token ?? AccessToken).Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AccessToken);
        }

        if ((tenant ?? TenantId).Length > 0)
        {
            request.Headers.Add("xero-tenant-id", tenant ?? TenantId);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var received = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        return new XeroReply(response.StatusCode, await response.Content.ReadAsStringAsync(), received);
    }

    /// <summary>GETs and expects 200, returning the collection's items.</summary>
    public async Task<JsonArray> ListAsync(string relative, string collection, IReadOnlyDictionary<string, string>? headers = null)
    {
        var reply = await GetAsync(relative, headers);
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        return reply.Json[collection]!.AsArray();
    }

    public async Task<string> AddContactAsync(XeroSandboxHost host, string name, string? email = null, JsonArray? persons = null)
    {
        var body = new JsonObject { ["name"] = name, ["emailAddress"] = email };
        if (persons is not null)
        {
            body["contactPersons"] = persons;
        }

        var created = await host.AdminAsync(HttpMethod.Post, Admin + "/contacts", body, HttpStatusCode.Created);
        return created["contactId"]!.GetValue<string>();
    }

    /// <summary>Seeds an invoice of one line to 200 Sales; <paramref name="extra"/> adds or replaces fields of the admin body.</summary>
    public async Task<(string Id, string Number)> AddInvoiceAsync(XeroSandboxHost host, string contactId, decimal amount, JsonObject? extra = null)
    {
        var body = new JsonObject { ["contactId"] = contactId, ["amount"] = amount };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        var created = await host.AdminAsync(HttpMethod.Post, Admin + "/invoices", body, HttpStatusCode.Created);
        return (created["invoiceId"]!.GetValue<string>(), created["invoiceNumber"]!.GetValue<string>());
    }

    public static JsonObject Payment(string invoiceId, string accountCode, decimal amount, string date = "2026-12-05", string? reference = null) => new()
    {
        ["Invoice"] = new JsonObject { ["InvoiceID"] = invoiceId },
        ["Account"] = new JsonObject { ["Code"] = accountCode },
        ["Date"] = date,
        ["Amount"] = amount,
        ["Reference"] = reference,
    };
}
