using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReconMesh.Sandbox.ConnectWise;

namespace ReconMesh.SandboxBench;

/// <summary>
/// A ConnectWise site of <c>invoices</c> open invoices (one company per 20) behind the simulator's request pipeline,
/// and the requests InvoiceIngest and WritebackService make of it: reads by change time (forward-only), <c>id in (…)</c>
/// reconciles, contacts of companies, one invoice, a payment.
/// </summary>
internal sealed class CwDriver : IAsyncDisposable
{
    private const string Site = "reconmesh";
    private const string ClientId = "00000000-0000-4000-8000-00000000c11e";
    private static readonly string Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Site}+sandbox-public:sandbox-private"));

    private readonly WebApplication _app;
    private readonly RequestDelegate _pipeline;
    private List<int> _invoices = [];
    private List<int> _companies = [];

    private CwDriver(WebApplication app, RequestDelegate pipeline)
    {
        _app = app;
        _pipeline = pipeline;
    }

    public static async Task<CwDriver> StartAsync(int invoices)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>());
        builder.Services.AddConnectWiseSimulator(builder.Configuration);
        var app = builder.Build();
        app.UseRouting();
        app.MapConnectWiseSimulator();
        app.UseEndpoints(_ => { });
        var driver = new CwDriver(app, ((IApplicationBuilder)app).Build());
        var seeded = JsonNode.Parse(await driver.SendAsync("POST", $"/admin/cw/sites/{Site}/seed", null,
            new JsonObject { ["companies"] = Math.Max(1, invoices / 20), ["invoices"] = invoices, ["seed"] = 7 }))!;
        driver._invoices = [.. seeded["invoices"]!.AsArray().Select(n => n!.GetValue<int>())];
        driver._companies = [.. seeded["companies"]!.AsArray().Select(n => n!.GetValue<int>())];
        return driver;
    }

    public async Task<IReadOnlyList<OpResult>> RunAsync(int iterations, string? only = null)
    {
        Task<OpResult> MeasureAsync(string name, int count, Func<int, Task<long>> operation, int warmup = 5) =>
            QboDriver.MeasureAsync(name, only is null || name.Contains(only, StringComparison.OrdinalIgnoreCase) ? count : 5, operation, warmup);
        var results = new List<OpResult>();
        var n = _invoices.Count;
        int InvoiceId(int i) => _invoices[(int)((long)i * 7919 % n)];

        results.Add(await MeasureAsync("cw GET invoices/{id}", iterations, async i => (await ApiAsync("GET", $"finance/invoices/{InvoiceId(i)}")).Length));
        var since = await QboDriver.NextSecondAsync();
        results.Add(await MeasureAsync("cw POST invoices/{id}/payments", iterations, async i => (await ApiAsync("POST", $"finance/invoices/{InvoiceId(i)}/payments",
            new JsonObject { ["type"] = "Payment", ["amount"] = 0.01m })).Length));

        var changed = Uri.EscapeDataString($"lastUpdated >= [{since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}]");
        results.Add(await MeasureAsync("cw invoices lastUpdated >= (payments' window), forward-only", iterations, async _ =>
            (await ApiAsync("GET", $"finance/invoices?conditions={changed}&pageId=0&pageSize=1000")).Length));
        var ids = Uri.EscapeDataString($"id in ({string.Join(",", Enumerable.Range(0, 200).Select(i => _invoices[i * n / 200]))})");
        results.Add(await MeasureAsync("cw invoices id in (200) fields=id", iterations, async _ =>
            (await ApiAsync("GET", $"finance/invoices?conditions={ids}&fields=id&orderBy=id&pageSize=1000")).Length));
        var contacts = Uri.EscapeDataString($"company/id in ({string.Join(",", _companies.Take(50))}) and inactiveFlag = false and (defaultBillingFlag = true or defaultFlag = true)");
        results.Add(await MeasureAsync("cw contacts of 50 companies", iterations, async _ =>
            (await ApiAsync("GET", $"company/contacts?conditions={contacts}&page=1&pageSize=1000")).Length));
        results.Add(await MeasureAsync("cw invoices forward-only page of 1000 (initial sync)", Math.Max(5, iterations / 10), async i =>
            (await ApiAsync("GET", $"finance/invoices?pageId={_invoices[i % Math.Max(1, n / 1000) * 1000]}&pageSize=1000")).Length, warmup: Math.Max(5, n / 1000)));
        return results;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Task<string> ApiAsync(string method, string relative, JsonNode? body = null) => SendAsync(method, "/v4_6_release/apis/3.0/" + relative, Authorization, body);

    private async Task<string> SendAsync(string method, string relative, string? authorization, JsonNode? body)
    {
        var context = new DefaultHttpContext { RequestServices = _app.Services };
        var request = context.Request;
        request.Method = method;
        request.Scheme = "http";
        request.Host = new HostString("localhost");
        var question = relative.IndexOf('?', StringComparison.Ordinal);
        request.Path = question < 0 ? relative : relative[..question];
        request.QueryString = new QueryString(question < 0 ? "" : relative[question..]);
        request.Headers["clientId"] = ClientId;
        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            request.ContentType = "application/json";
            request.ContentLength = bytes.Length;
            request.Body = new MemoryStream(bytes);
        }

        using var answer = new MemoryStream();
        context.Response.Body = answer;
        await _pipeline(context);
        var text = Encoding.UTF8.GetString(answer.ToArray());
        if (context.Response.StatusCode is not (StatusCodes.Status200OK or StatusCodes.Status201Created))
        {
            throw new InvalidOperationException($"{method} {relative}: {context.Response.StatusCode} {text}");
        }

        return text;
    }
}
