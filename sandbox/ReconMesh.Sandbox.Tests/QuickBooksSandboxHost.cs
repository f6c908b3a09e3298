using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using ReconMesh.Sandbox.QuickBooks;

namespace ReconMesh.Sandbox.Tests;

/// <summary>A real HTTP server on a free loopback port running only the QuickBooks simulator.</summary>
internal sealed class QuickBooksSandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private QuickBooksSandboxHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Http { get; }

    /// <summary>
    /// Starts the simulator; with <paramref name="faults"/> also the fault middleware and its admin API, as the sandbox
    /// wires them; with <paramref name="time"/> on that clock instead of the system's.
    /// </summary>
    public static async Task<QuickBooksSandboxHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, bool faults = false, TimeProvider? time = null)
    {
        var (app, address) = await SandboxTestServer.StartAsync([settings], time, faults,
            (services, configuration) => services.AddQuickBooksSimulator(configuration), app => app.MapQuickBooksSimulator());
        return new QuickBooksSandboxHost(app, address);
    }

    /// <summary>A fresh company (via the admin API) so that a test sees only its own data.</summary>
    public async Task<QboTestClient> NewCompanyAsync()
    {
        var realm = "9130" + Random.Shared.NextInt64(100_000_000_000, 1_000_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var token = "token-" + Guid.NewGuid().ToString("N");
        using var response = await PostJsonAsync("/admin/qbo/companies", new JsonObject { ["realmId"] = realm, ["accessToken"] = token });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return new QboTestClient(Http, realm, token);
    }

    public async Task<HttpResponseMessage> PostJsonAsync(string path, JsonNode body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await Http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    public async Task<HttpResponseMessage> PutJsonAsync(string path, JsonNode body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await Http.PutAsync(new Uri(path, UriKind.Relative), content);
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What a QuickBooks answer looked like on the wire.</summary>
internal sealed record QboReply(HttpStatusCode Status, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");

    /// <summary>The first error of a capitalized <c>Fault</c> body.</summary>
    public JsonNode FaultError => Json["Fault"]?["Error"]?[0] ?? throw new InvalidOperationException("no Fault.Error[0] in " + Body);

    public string? Code => FaultError["code"]?.GetValue<string>();

    public override string ToString() => $"{(int)Status} {Body}";
}

/// <summary>Talks to one company of the simulator the way a client written from Intuit's docs does.</summary>
internal sealed class QboTestClient(HttpClient http, string realmId, string accessToken)
{
    public string RealmId { get; } = realmId;

    public string AccessToken { get; } = accessToken;

    public Task<QboReply> GetAsync(string relative, string? token = null) => SendAsync(HttpMethod.Get, relative, null, token);

    public Task<QboReply> PostAsync(string relative, JsonNode body) => SendAsync(HttpMethod.Post, relative, body.ToJsonString(), null);

    public Task<QboReply> PostRawAsync(string relative, string body) => SendAsync(HttpMethod.Post, relative, body, null);

    public Task<QboReply> QueryAsync(string query) => GetAsync("query?query=" + Uri.EscapeDataString(query));

    public async Task<QboReply> SendAsync(HttpMethod method, string relative, string? body, string? token)
    {
        var separator = relative.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var request = new HttpRequestMessage(method, new Uri($"/v3/company/{RealmId}/{relative}{separator}minorversion=75&format=json", UriKind.Relative));
        if ((token ?? AccessToken).Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AccessToken);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return new QboReply(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs and expects 200, returning the entity under its name.</summary>
    public async Task<JsonObject> WriteAsync(string relative, string entity, JsonNode body)
    {
        var reply = await PostAsync(relative, body);
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        return reply.Json[entity]!.AsObject();
    }

    public async Task<JsonObject> ReadAsync(string entity, string id)
    {
        var reply = await GetAsync($"{entity.ToLowerInvariant()}/{id}");
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        return reply.Json[entity]!.AsObject();
    }

    public Task<JsonObject> CreateCustomerAsync(string displayName, string? email = null) =>
        WriteAsync("customer", "Customer", new JsonObject
        {
            ["DisplayName"] = displayName,
            ["PrimaryEmailAddr"] = new JsonObject { ["Address"] = email ?? "billing@example.com" },
        });

    public Task<JsonObject> CreateInvoiceAsync(string customerId, params decimal[] amounts) => CreateInvoiceAsync(customerId, null, amounts);

    public Task<JsonObject> CreateInvoiceAsync(string customerId, JsonObject? extra, params decimal[] amounts)
    {
        var body = new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = customerId },
            ["Line"] = new JsonArray([.. amounts.Select(a => (JsonNode)new JsonObject
            {
                ["DetailType"] = "SalesItemLineDetail",
                ["Amount"] = a,
                ["SalesItemLineDetail"] = new JsonObject { ["ItemRef"] = new JsonObject { ["name"] = "Services", ["value"] = "1" } },
            })]),
        };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                body[key] = value?.DeepClone();
            }
        }

        return WriteAsync("invoice", "Invoice", body);
    }

    public static JsonObject PaymentBody(string customerId, decimal total, params (string InvoiceId, decimal Amount)[] lines) => new()
    {
        ["TotalAmt"] = total,
        ["CustomerRef"] = new JsonObject { ["value"] = customerId },
        ["Line"] = new JsonArray([.. lines.Select(l => (JsonNode)new JsonObject
        {
            ["Amount"] = l.Amount,
            ["LinkedTxn"] = new JsonArray(new JsonObject { ["TxnId"] = l.InvoiceId, ["TxnType"] = "Invoice" }),
        })]),
    };
}
