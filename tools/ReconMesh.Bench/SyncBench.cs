using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReconMesh.Bench;

/// <summary>
/// The initial sync of one integration (issue 4: 20,000 open invoices and some closed ones, the sandbox's default
/// limits, the connection's default limits; issue 18: Xero at its real limits, 60 calls a minute, 5 at once, 5,000 a
/// day, in the simulator and on the connection), with InvoiceIngest serving only that connection: invoices/s to the
/// store and to the platform, the integration's requests/min and 429s, and a check that every open invoice is held
/// once and no closed one; issue 19: Autotask within the share of its database's hourly budget ReconMesh claims,
/// SyncBench.Autotask.cs). <c>sync-setup</c> (and <c>sync-setup-autotask</c>) fill the sandbox; <c>sync</c> measures one
/// integration after bench.sh started InvoiceIngest for it.
/// </summary>
internal static partial class SyncBench
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Xero's published limits per organisation, set in the simulator and on the connection (bench.sh).</summary>
    private const int XeroPerMinute = 60, XeroConcurrent = 5, XeroPerDay = 5_000;

    /// <summary>Xero's own names (PascalCase, <c>InvoiceID</c>), as they are written.</summary>
    private static readonly JsonSerializerOptions XeroJson = new();

    public static async Task<int> SetupAsync(BenchOptions o)
    {
        using var http = new HttpClient { BaseAddress = new Uri(o.Get("sandbox")), Timeout = TimeSpan.FromMinutes(5) };
        var open = o.Int("invoices", 20_000);
        var closed = o.Int("closed", 1_000);
        var total = open + closed;
        const int chunk = 1_000;

        // QuickBooks: the company gets the simulator's default limits (500/min, 10 concurrent). Seeded in chunks: the
        // simulator checks each new DocNumber against every invoice. The first chunk's first invoices are paid in full.
        var clock = Stopwatch.StartNew();
        var realm = o.Get("realm");
        await EnsureAsync(await http.PostAsJsonAsync("/admin/qbo/companies", new { realmId = realm, accessToken = o.Get("token") }, Json));
        for (var seeded = 0; seeded < total; seeded += chunk)
        {
            await EnsureAsync(await http.PostAsJsonAsync($"/admin/qbo/companies/{realm}/seed", new
            {
                customers = 250, invoices = Math.Min(chunk, total - seeded), currency = "USD", seed = 20 + seeded, paid = seeded == 0 ? Math.Min(closed, chunk) : 0,
            }, Json));
        }

        Console.WriteLine($"[bench] QuickBooks company {realm}: {open} open and {closed} paid invoices, default limits ({clock.Elapsed.TotalSeconds:F1} s)");
        if (closed > chunk)
        {
            throw new ArgumentException($"--closed above {chunk} is not supported");
        }

        // ConnectWise: a site with the simulator's default limit (none), 2,000 client companies, then the invoices.
        clock.Restart();
        var site = o.Get("cw-site");
        await EnsureAsync(await http.PostAsJsonAsync("/admin/cw/sites", new
        {
            companyId = site, publicKey = o.Get("cw-public"), privateKey = o.Get("cw-private"), clientId = o.Get("cw-client"),
        }, Json));
        await EnsureAsync(await http.PostAsJsonAsync($"/admin/cw/sites/{site}/seed", new { companies = 2_000, invoices = 0, seed = 20 }, Json));
        for (var seeded = 0; seeded < total; seeded += chunk)
        {
            await EnsureAsync(await http.PostAsJsonAsync($"/admin/cw/sites/{site}/seed", new
            {
                companies = 0, invoices = Math.Min(chunk, total - seeded), currency = "USD", seed = 21 + seeded, closed = seeded == 0 ? Math.Min(closed, chunk) : 0,
            }, Json));
        }

        Console.WriteLine($"[bench] ConnectWise site {site}: {open} open and {closed} closed invoices, default limits ({clock.Elapsed.TotalSeconds:F1} s)");

        // Xero: an organisation seeded with its limits off, the first invoices paid in one batch, then Xero's real limits
        // per organisation (60 calls a minute, 5 at once, 5,000 a day) for the sync to keep.
        clock.Restart();
        var xero = Guid.Parse(o.Get("xero-tenant"));
        var xeroToken = o.Get("xero-token");
        await EnsureAsync(await http.PostAsJsonAsync("/admin/xero/organisations", new
        {
            tenantId = xero, accessToken = xeroToken, requestsPerMinute = 0, maxConcurrent = 0, requestsPerDay = 0,
        }, Json));
        var organisation = $"/admin/xero/organisations/{xero}";
        await EnsureAsync(await http.PostAsJsonAsync($"{organisation}/seed", new { contacts = 250, invoices = total, seed = 22 }, Json));
        using (var seeded = JsonDocument.Parse(await http.GetStringAsync($"{organisation}/books")))
        {
            var payments = seeded.RootElement.GetProperty("invoices").EnumerateArray().Take(closed).Select(i => new Dictionary<string, object>
            {
                ["Invoice"] = new { InvoiceID = i.GetProperty("invoiceId").GetString() },
                ["Account"] = new { Code = "092" },
                ["Date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Amount"] = i.GetProperty("amountDue").GetDecimal(),
            }).ToList();
            using var pay = new HttpRequestMessage(HttpMethod.Put, "/api.xro/2.0/Payments") { Content = JsonContent.Create(new { Payments = payments }, options: XeroJson) };
            pay.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", xeroToken);
            pay.Headers.Add("xero-tenant-id", xero.ToString());
            pay.Headers.Accept.ParseAdd("application/json");
            await EnsureAsync(await http.SendAsync(pay));
        }

        await EnsureAsync(await http.PutAsJsonAsync($"{organisation}/limits", new { requestsPerMinute = XeroPerMinute, maxConcurrent = XeroConcurrent, requestsPerDay = XeroPerDay }, Json));
        Console.WriteLine($"[bench] Xero organisation {xero}: {open} open and {closed} paid invoices, limits {XeroPerMinute}/min, {XeroConcurrent} at once, " +
            $"{XeroPerDay}/day ({clock.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }

    /// <summary>
    /// From the InvoiceIngest process's start: until the connection reports its initial sync complete (the store), and
    /// until the platform simulator holds every open invoice (the whole path through the relay and the bus).
    /// </summary>
    public static async Task<int> RunAsync(BenchOptions o)
    {
        var kind = o.Get("kind");
        var prefix = $"sync_{kind}_";
        using var sandbox = new HttpClient { BaseAddress = new Uri(o.Get("sandbox")), Timeout = TimeSpan.FromMinutes(2) };
        var books = kind switch
        {
            "qbo" => $"/admin/qbo/companies/{o.Get("realm")}/books",
            "xero" => $"/admin/xero/organisations/{o.Get("xero-tenant")}/books",
            "autotask" => $"/admin/autotask/databases/{o.Get("autotask-db")}/books",
            _ => $"/admin/cw/sites/{o.Get("cw-site")}/books",
        };
        var tenant = o.Get("tenant");
        using var ingest = IngestBench.Reader(o.Get("ingest"), tenant);

        var expected = o.Int("invoices", 20_000);
        var startedMs = o.Long("started-ms");
        var deadline = TimeSpan.FromSeconds(o.Int("timeout-s", 600));
        var before = await CountersAsync(sandbox, books, kind);

        // Xero's sync takes minutes at 60 calls a minute: reading 20,000 invoices off the platform every half second for
        // that long would load the machine more than the sync itself, and a 5-second resolution is 1% of it.
        var poll = kind is "xero" or "autotask" ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(500);
        double? storeSeconds = null, platformSeconds = null;
        (long Requests, long Throttled) atStore = default;
        var last = -1;
        while (Elapsed(startedMs) < deadline && (storeSeconds is null || platformSeconds is null))
        {
            if (storeSeconds is null)
            {
                var connections = await ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{tenant}/connections", Json);
                if (connections!.Single().GetProperty("initialSyncComplete").GetBoolean())
                {
                    storeSeconds = Elapsed(startedMs).TotalSeconds;
                    atStore = await CountersAsync(sandbox, books, kind);
                }
            }

            var held = (await sandbox.GetFromJsonAsync<List<JsonElement>>($"/platform/invoices?tenantId={Uri.EscapeDataString(tenant)}", Json))!
                .Count(i => i.GetProperty("balance").GetDecimal() > 0m);
            if (held != last)
            {
                Console.WriteLine($"[bench] {kind} initial sync: {held}/{expected} open invoices on the platform after {Elapsed(startedMs).TotalSeconds:F1} s");
                last = held;
            }

            if (held >= expected && platformSeconds is null)
            {
                platformSeconds = Elapsed(startedMs).TotalSeconds;
            }

            await Task.Delay(poll);
        }

        var (ids, closedHeld) = await CheckAsync(sandbox, ingest, books, kind, tenant);
        // The account was made for this run, its setup calls made with limits off: every 429 it ever answered is the
        // sync's, including those of InvoiceIngest's first seconds, before this driver first looked.
        var throttled = (await CountersAsync(sandbox, books, kind)).Throttled;
        var results = Summary.Read(o.Get("out")).ToDictionary(kv => kv.Key, kv => (object)kv.Value!.DeepClone());
        var requests = atStore.Requests - before.Requests;
        results[prefix + "open_invoices_expected"] = expected;
        results[prefix + "open_invoices_held"] = ids.Count;
        results[prefix + "open_invoices_held_once"] = ids.Count == ids.Distinct().Count();
        results[prefix + "closed_invoices_held"] = closedHeld;
        results[prefix + "store_seconds"] = Math.Round(storeSeconds ?? double.NaN, 1);
        results[prefix + "store_invoices_per_s"] = Math.Round(expected / (storeSeconds ?? double.PositiveInfinity), 1);
        results[prefix + "platform_seconds"] = Math.Round(platformSeconds ?? double.NaN, 1);
        results[prefix + "invoices_per_s"] = Math.Round(expected / (platformSeconds ?? double.PositiveInfinity), 1);
        results[prefix + "requests"] = requests;
        results[prefix + "requests_per_min"] = Math.Round(requests / ((storeSeconds ?? double.PositiveInfinity) / 60.0), 1);
        results[prefix + "429_count"] = throttled;
        if (kind == "autotask")
        {
            await AutotaskFiguresAsync(sandbox, books, results, requests, storeSeconds);
        }

        await Summary.WriteAsync(o.Get("out"), results);
        Console.WriteLine($"[bench] {kind}: {ids.Count} open held ({ids.Distinct().Count()} distinct) of {expected}, {closedHeld} closed held; " +
            $"store {storeSeconds:F1} s, platform {platformSeconds:F1} s, {requests} requests, {throttled} × 429");
        return ids.Count == expected && ids.Distinct().Count() == expected && closedHeld == 0 ? 0 : 1;
    }

    /// <summary>The open invoices InvoiceIngest holds (paged), and how many of the integration's closed ones it holds at all.</summary>
    private static async Task<(List<string> Open, int ClosedHeld)> CheckAsync(HttpClient sandbox, HttpClient ingest, string books, string kind, string tenant)
    {
        var open = new List<string>();
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var filter in new[] { "&open=true", "" })
        {
            for (var page = 1; ; page++)
            {
                var rows = (await ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{tenant}/invoices?pageSize=1000&page={page}{filter}", Json))!;
                foreach (var id in rows.Select(r => r.GetProperty("externalId").GetString()!))
                {
                    if (filter.Length > 0)
                    {
                        open.Add(id);
                    }

                    all.Add(id);
                }

                if (rows.Count < 1000)
                {
                    break;
                }
            }
        }

        using var doc = JsonDocument.Parse(await sandbox.GetStringAsync(books));
        var closed = doc.RootElement.GetProperty("invoices").EnumerateArray()
            .Where(i => kind switch
            {
                "qbo" => i.GetProperty("balance").GetDecimal() == 0m,
                "xero" => i.GetProperty("status").GetString() != "AUTHORISED",
                "autotask" => AutotaskClosed(i),
                _ => i.GetProperty("closed").GetBoolean(),
            })
            .Select(i => kind switch
            {
                "qbo" => i.GetProperty("id").GetString()!,
                "xero" => i.GetProperty("invoiceId").GetString()!,
                _ => i.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture),
            });
        return (open, closed.Count(all.Contains));
    }

    /// <summary>
    /// The calls the simulator admitted and the ones it answered 429 (Xero's books name them otherwise; Autotask's
    /// refuses calls for the hourly block and for the thread limit).
    /// </summary>
    private static async Task<(long Requests, long Throttled)> CountersAsync(HttpClient sandbox, string books, string kind)
    {
        using var doc = JsonDocument.Parse(await sandbox.GetStringAsync(books));
        var root = doc.RootElement;
        if (kind == "autotask")
        {
            return (root.GetProperty("requests").GetInt64(), root.GetProperty("thresholdBlocked").GetInt64() + root.GetProperty("threadLimited").GetInt64());
        }

        var (requests, throttled) = kind == "xero" ? ("requests", "throttled") : ("requestCount", "throttledCount");
        return (root.GetProperty(requests).GetInt64(), root.GetProperty(throttled).GetInt64());
    }

    private static TimeSpan Elapsed(long startedMs) => TimeSpan.FromMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - startedMs);

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }
}
