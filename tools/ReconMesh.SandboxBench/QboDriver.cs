using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReconMesh.Sandbox.QuickBooks;

namespace ReconMesh.SandboxBench;

/// <summary>
/// A QuickBooks company of <c>invoices</c> open invoices (one customer per 20) behind the simulator's request pipeline,
/// and the requests one payment costs it: InvoiceIngest's reads (by change time, CDC, <c>Id in (…)</c>, customers) and
/// WritebackService's GET of the invoice and POST of the Payment with a requestid.
/// </summary>
internal sealed class QboDriver : IAsyncDisposable
{
    private const string Realm = "9130000000000001";
    private const string Token = "bench-token";

    private readonly WebApplication _app;
    private readonly RequestDelegate _pipeline;
    private readonly IReadOnlyList<QboBookInvoice> _invoices;
    private readonly IReadOnlyList<string> _customers;

    private QboDriver(WebApplication app, RequestDelegate pipeline, IReadOnlyList<QboBookInvoice> invoices, IReadOnlyList<string> customers)
    {
        _app = app;
        _pipeline = pipeline;
        _invoices = invoices;
        _customers = customers;
    }

    public static async Task<QboDriver> StartAsync(int invoices)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:QuickBooks:RealmId"] = Realm,
            ["Sandbox:QuickBooks:AccessToken"] = Token,
            ["Sandbox:QuickBooks:RequestsPerMinute"] = "0",
            ["Sandbox:QuickBooks:MaxConcurrent"] = "0",
        });
        builder.Services.AddQuickBooksSimulator(builder.Configuration);
        var app = builder.Build();
        app.UseRouting();
        app.MapQuickBooksSimulator();
        app.UseEndpoints(_ => { });
        var pipeline = ((IApplicationBuilder)app).Build();

        var simulator = app.Services.GetRequiredService<QuickBooksSimulator>();
        var seeding = Stopwatch.StartNew();
        var seeded = simulator.Seed(Realm, new QboSeedRequest(Math.Max(1, invoices / 20), invoices, "USD", 7))!;
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"seeded {invoices} invoices in {seeding.Elapsed.TotalSeconds:0.0} s"));
        var books = simulator.GetBooks(Realm)!;
        return new QboDriver(app, pipeline, books.Invoices, seeded.Customers);
    }

    /// <summary>Runs the operations in order; those whose name does not contain <paramref name="only"/> get 5 iterations (to profile one).</summary>
    public async Task<IReadOnlyList<OpResult>> RunAsync(int iterations, string? only = null)
    {
        Task<OpResult> MeasureAsync(string name, int count, Func<int, Task<long>> operation, int warmup = 5) =>
            QboDriver.MeasureAsync(name, only is null || name.Contains(only, StringComparison.OrdinalIgnoreCase) ? count : 5, operation, warmup);

        var results = new List<OpResult>();
        var n = _invoices.Count;
        string InvoiceId(int i) => _invoices[(int)((long)i * 7919 % n)].Id;

        results.Add(await MeasureAsync("GET invoice/{id}", iterations, i => SendAsync("GET", $"invoice/{InvoiceId(i)}", null)));

        // Everything the payments below change is after this second: MetaData times have whole seconds.
        var since = await NextSecondAsync();
        var requestIds = new List<string>();
        results.Add(await MeasureAsync("POST payment?requestid (new)", iterations, i =>
        {
            var invoice = _invoices[(int)((long)i * 7919 % n)];
            var requestId = "bench-" + i.ToString(CultureInfo.InvariantCulture);
            requestIds.Add(requestId);
            return SendAsync("POST", $"payment?requestid={requestId}", PaymentBody(invoice));
        }));
        results.Add(await MeasureAsync("POST payment?requestid (replayed)", iterations, i =>
            SendAsync("POST", $"payment?requestid={requestIds[i % requestIds.Count]}", PaymentBody(_invoices[0]))));

        var sinceLiteral = since.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        results.Add(await MeasureAsync("query Invoice LastUpdatedTime >= (payments' window)", iterations, _ => Query(
            $"select * from Invoice where MetaData.LastUpdatedTime >= '{sinceLiteral}' orderby MetaData.LastUpdatedTime startposition 1 maxresults 1000")));
        results.Add(await MeasureAsync("cdc Invoice,Payment (payments' window)", iterations, _ => SendAsync("GET",
            $"cdc?entities=Invoice,Payment&changedSince={Uri.EscapeDataString(sinceLiteral)}", null)));

        var ids = string.Join(",", Enumerable.Range(0, 200).Select(i => $"'{_invoices[i * n / 200].Id}'"));
        results.Add(await MeasureAsync("query Invoice Id in (200 ids)", iterations, _ => Query($"select * from Invoice where Id in ({ids}) maxresults 1000")));
        var customerIds = string.Join(",", _customers.Take(50).Select(c => $"'{c}'"));
        results.Add(await MeasureAsync("query Customer Id in (50 ids)", iterations, _ => Query($"select * from Customer where Id in ({customerIds}) maxresults 1000")));
        results.Add(await MeasureAsync("query Invoice DocNumber =", iterations, i =>
            Query($"select * from Invoice where DocNumber = '{_invoices[(int)((long)i * 7919 % n)].DocNumber}'")));
        results.Add(await MeasureAsync("query count(*) Invoice", iterations, _ => Query("select count(*) from Invoice")));
        results.Add(await MeasureAsync("query Invoice orderby Id page of 1000 (initial sync)", Math.Max(5, iterations / 10), i =>
            Query($"select * from Invoice orderby Id startposition {(i % Math.Max(1, n / 1000) * 1000) + 1} maxresults 1000"), warmup: Math.Max(5, n / 1000)));
        return results;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Task<long> Query(string query) => SendAsync("GET", "query?query=" + Uri.EscapeDataString(query), null);

    private static byte[] PaymentBody(QboBookInvoice invoice) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["TotalAmt"] = 0.01m,
        ["CustomerRef"] = new JsonObject { ["value"] = invoice.CustomerId },
        ["Line"] = new JsonArray(new JsonObject
        {
            ["Amount"] = 0.01m,
            ["LinkedTxn"] = new JsonArray(new JsonObject { ["TxnId"] = invoice.Id, ["TxnType"] = "Invoice" }),
        }),
    }.ToJsonString());

    public static async Task<DateTimeOffset> NextSecondAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromMilliseconds(1000 - now.Millisecond + 5));
        var next = DateTimeOffset.UtcNow;
        return new DateTimeOffset(next.Ticks - (next.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>Runs <paramref name="warmup"/> iterations first (e.g. every page once, so that none is measured cold).</summary>
    public static async Task<OpResult> MeasureAsync(string name, int iterations, Func<int, Task<long>> operation, int warmup = 5)
    {
        long bytes = 0;
        for (var i = 0; i < warmup; i++)
        {
            bytes = await operation(iterations + i);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var gen2 = GC.CollectionCount(2);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            bytes = await operation(i);
        }

        wall.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var allocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return new OpResult(name, wall.Elapsed.TotalMicroseconds / iterations, cpuUsed.TotalMicroseconds / iterations,
            allocatedBytes / 1024.0 / iterations, bytes, GC.CollectionCount(2) - gen2);
    }

    /// <summary>One request through the sandbox's pipeline; returns the answer's length (and fails on anything but 200).</summary>
    private async Task<long> SendAsync(string method, string relative, byte[]? body)
    {
        var context = new DefaultHttpContext { RequestServices = _app.Services };
        var request = context.Request;
        request.Method = method;
        request.Scheme = "http";
        request.Host = new HostString("localhost");
        var question = relative.IndexOf('?', StringComparison.Ordinal);
        request.Path = "/v3/company/" + Realm + "/" + (question < 0 ? relative : relative[..question]);
        request.QueryString = new QueryString((question < 0 ? "?" : relative[question..] + "&") + "minorversion=75");
        request.Headers.Authorization = "Bearer " + Token;
        if (body is not null)
        {
            request.ContentType = "application/json";
            request.ContentLength = body.Length;
            request.Body = new MemoryStream(body);
        }

        using var answer = new MemoryStream();
        context.Response.Body = answer;
        await _pipeline(context);
        if (context.Response.StatusCode != StatusCodes.Status200OK)
        {
            throw new InvalidOperationException($"{method} {relative}: {context.Response.StatusCode} {Encoding.UTF8.GetString(answer.ToArray())}");
        }

        return answer.Length;
    }
}
