using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReconMesh.Sandbox.ConnectWise;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// A real HTTP server on a free loopback port running only the ConnectWise simulator, on a clock the test moves,
/// plus a small receiver of callbacks (<c>POST /test/callbacks/{name}</c>) that tests await.
/// </summary>
internal sealed class ConnectWiseSandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ConnectWiseSandboxHost(WebApplication app, Uri baseAddress, ConnectWiseManualClock clock, ConnectWiseCallbackReceiver receiver)
    {
        _app = app;
        BaseAddress = baseAddress;
        Clock = clock;
        Callbacks = receiver;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Http { get; }

    public Uri BaseAddress { get; }

    public ConnectWiseManualClock Clock { get; }

    public ConnectWiseCallbackReceiver Callbacks { get; }

    public static async Task<ConnectWiseSandboxHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var clock = new ConnectWiseManualClock(new DateTimeOffset(2024, 3, 1, 15, 4, 5, TimeSpan.Zero));
        var receiver = new ConnectWiseCallbackReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddConnectWiseSimulator(builder.Configuration);
        var app = builder.Build();
        app.MapConnectWiseSimulator();
        app.MapPost("/test/callbacks/{name}", receiver.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ConnectWiseSandboxHost(app, new Uri(address), clock, receiver);
    }

    /// <summary>A fresh site (via the admin API) so that a test sees only its own data.</summary>
    public async Task<ConnectWiseTestClient> NewSiteAsync(int? requestsPerMinute = null)
    {
        var companyId = "site" + Guid.NewGuid().ToString("N")[..10];
        var body = new JsonObject
        {
            ["companyId"] = companyId,
            ["publicKey"] = "pub" + Guid.NewGuid().ToString("N")[..8],
            ["privateKey"] = "priv" + Guid.NewGuid().ToString("N")[..8],
            ["clientId"] = Guid.NewGuid().ToString("D"),
        };
        if (requestsPerMinute is not null)
        {
            body["requestsPerMinute"] = requestsPerMinute;
        }

        using var response = await SendJsonAsync(HttpMethod.Post, "/admin/cw/sites", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return new ConnectWiseTestClient(this, companyId, (string)body["publicKey"]!, (string)body["privateKey"]!, (string)body["clientId"]!);
    }

    public async Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, JsonNode body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        return await Http.SendAsync(request);
    }

    /// <summary>Calls the admin API and expects <paramref name="expected"/>, returning the JSON answer.</summary>
    public async Task<JsonNode> AdminAsync(HttpMethod method, string path, JsonNode? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = body is null
            ? await Http.SendAsync(new HttpRequestMessage(method, new Uri(path, UriKind.Relative)))
            : await SendJsonAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), text);
        return JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A clock the tests move by hand (the simulator's timestamps and its rate-limit window follow it).</summary>
internal sealed class ConnectWiseManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public DateTimeOffset Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
            return _now;
        }
    }
}

/// <summary>One callback POST as received: the payload and its signature header.</summary>
internal sealed record ConnectWiseReceivedCallback(string Name, JsonObject Payload, string RawBody, string? Signature);

/// <summary>Records callbacks and completes the waiters whose condition they meet.</summary>
internal sealed class ConnectWiseCallbackReceiver
{
    private readonly Lock _gate = new();
    private readonly List<ConnectWiseReceivedCallback> _received = [];
    private readonly List<(Func<ConnectWiseReceivedCallback, bool> Match, TaskCompletionSource<ConnectWiseReceivedCallback> Done)> _waiters = [];

    public ConcurrentBag<string> Names { get; } = [];

    /// <summary>Completes with the first callback (already received or still to come) that matches.</summary>
    public Task<ConnectWiseReceivedCallback> WaitForAsync(Func<ConnectWiseReceivedCallback, bool> match)
    {
        var done = new TaskCompletionSource<ConnectWiseReceivedCallback>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var already = _received.FirstOrDefault(match);
            if (already is not null)
            {
                done.SetResult(already);
            }
            else
            {
                _waiters.Add((match, done));
            }
        }

        return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        var callback = new ConnectWiseReceivedCallback(
            context.Request.RouteValues["name"] as string ?? "",
            JsonNode.Parse(raw)!.AsObject(),
            raw,
            context.Request.Headers["x-content-signature"].ToString());
        Names.Add(callback.Name);
        lock (_gate)
        {
            _received.Add(callback);
            foreach (var waiter in _waiters.Where(w => w.Match(callback)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult(callback);
            }
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}

/// <summary>What a ConnectWise answer looked like on the wire.</summary>
internal sealed record ConnectWiseReply(HttpStatusCode Status, string Body, HttpResponseHeaders Headers)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");

    public JsonArray Rows => Json.AsArray();

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    public override string ToString() => $"{(int)Status} {Body}";
}

/// <summary>Talks to one site of the simulator the way a client written from ConnectWise's docs does.</summary>
internal sealed class ConnectWiseTestClient(ConnectWiseSandboxHost host, string companyId, string publicKey, string privateKey, string clientId)
{
    public const string Api = "/v4_6_release/apis/3.0/";

    public string CompanyId { get; } = companyId;

    public string PublicKey { get; } = publicKey;

    public string PrivateKey { get; } = privateKey;

    public string ClientId { get; } = clientId;

    public ConnectWiseSandboxHost Host { get; } = host;

    public static string Basic(string companyId, string publicKey, string privateKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{companyId}+{publicKey}:{privateKey}"));

    public Task<ConnectWiseReply> GetAsync(string relative) => SendAsync(HttpMethod.Get, relative, null);

    public Task<ConnectWiseReply> PostAsync(string relative, JsonNode body) => SendAsync(HttpMethod.Post, relative, body.ToJsonString());

    public Task<ConnectWiseReply> PatchAsync(string relative, JsonNode body) => SendAsync(HttpMethod.Patch, relative, body.ToJsonString());

    public Task<ConnectWiseReply> DeleteAsync(string relative) => SendAsync(HttpMethod.Delete, relative, null);

    /// <summary>Sends with connectwise-rest's headers; <paramref name="authorization"/> and <paramref name="client"/> override them ("" leaves one out).</summary>
    public async Task<ConnectWiseReply> SendAsync(HttpMethod method, string relative, string? body, string? authorization = null, string? client = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(Api + relative, UriKind.Relative));
        var auth = authorization ?? Basic(CompanyId, PublicKey, PrivateKey);
        if (auth.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", auth);
        }

        if ((client ?? ClientId).Length > 0)
        {
            request.Headers.TryAddWithoutValidation("clientId", client ?? ClientId);
        }

        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.connectwise.com+json; version=2021.1, application/json");
        request.Headers.TryAddWithoutValidation("Cache-Control", "no-cache");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Host.Http.SendAsync(request);
        return new ConnectWiseReply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers);
    }

    /// <summary>GET that expects 200.</summary>
    public async Task<JsonNode> ReadAsync(string relative)
    {
        var reply = await GetAsync(relative);
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        return reply.Json;
    }

    /// <summary>A list with <c>conditions</c> encoded the way axios encodes them (spaces as <c>+</c>).</summary>
    public async Task<JsonArray> ListAsync(string resource, string? conditions = null, string? extra = null)
    {
        var query = new List<string>();
        if (conditions is not null)
        {
            query.Add("conditions=" + AxiosEncode(conditions));
        }

        if (extra is not null)
        {
            query.Add(extra);
        }

        var reply = await GetAsync(resource + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        return reply.Rows;
    }

    public static string AxiosEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);

    public Task<JsonNode> SeedAsync(int companies, int invoices, int seed = 42) =>
        Host.AdminAsync(HttpMethod.Post, $"/admin/cw/sites/{CompanyId}/seed",
            new JsonObject { ["companies"] = companies, ["invoices"] = invoices, ["currency"] = "USD", ["seed"] = seed });

    /// <summary>Creates an invoice through the admin API ("a new invoice appears").</summary>
    public async Task<JsonObject> NewInvoiceAsync(int companyId, decimal total, string? invoiceNumber = null, string? date = null, int? statusId = null)
    {
        var body = new JsonObject { ["type"] = "Standard", ["company"] = new JsonObject { ["id"] = companyId }, ["total"] = total };
        if (invoiceNumber is not null)
        {
            body["invoiceNumber"] = invoiceNumber;
        }

        if (date is not null)
        {
            body["date"] = date;
        }

        if (statusId is not null)
        {
            body["status"] = new JsonObject { ["id"] = statusId };
        }

        return (await Host.AdminAsync(HttpMethod.Post, $"/admin/cw/sites/{CompanyId}/invoices", body, HttpStatusCode.Created)).AsObject();
    }

    public async Task<JsonNode> BooksAsync() => await Host.AdminAsync(HttpMethod.Get, $"/admin/cw/sites/{CompanyId}/books");
}
