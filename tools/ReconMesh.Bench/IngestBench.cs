using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.Bench;

/// <summary>
/// <c>./run bench sync-a</c>: an initial sync on freshly started services (company A's, with B and C at the same time;
/// the full bench's <c>ingest_fresh</c>), and where its time went. <c>snapshot</c> records the processes' CPU,
/// PostgreSQL's and RabbitMQ's counters and the statements just before bench.sh starts InvoiceIngest; <c>sync-a</c>
/// waits as the full bench does (<see cref="MeshBench.SyncAddedCompanyAsync"/>), then reports the same keys and, per
/// invoice synced (A, B and C), the CPU of each process, the commits, the bus's publishes and deliveries, and the
/// statements (<c>sync-a-statements.txt</c>); then W's sync, of A's size, on the services warm from the syncs.
/// </summary>
internal static class IngestBench
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Statement(long Calls, double Ms, string Query);

    private sealed record Snapshot(Dictionary<string, double> Cpu, Dictionary<string, double> Work, Dictionary<long, Statement> Statements);

    public static async Task<int> SnapshotAsync(BenchOptions o)
    {
        var snapshot = new Snapshot(ProcessCpu.Snapshot(Pids(o)), await WorkCounters.SnapshotAsync(o.Get("vhost", "")),
            (await WorkCounters.StatementsAsync()).ToDictionary(kv => kv.Key, kv => new Statement(kv.Value.Calls, kv.Value.Ms, kv.Value.Query)));
        await File.WriteAllTextAsync(o.Get("out"), JsonSerializer.Serialize(snapshot, Json));
        return 0;
    }

    public static async Task<int> RunAsync(BenchOptions o)
    {
        var before = JsonSerializer.Deserialize<Snapshot>(await File.ReadAllTextAsync(o.Get("before")), Json)!;
        var startedMs = o.Long("ingest-started-ms");
        var results = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["ingest_ready_seconds"] = Math.Round((o.Long("ingest-ready-ms") - startedMs) / 1000.0, 2),
        };
        using var sandbox = new SandboxApi(new Uri(o.Get("sandbox")));
        var added = new TaskCompletionSource<long>();
        var store = WatchStoreAsync(o, added.Task);
        // A's sync on the freshly started services, as the full run's W (ingest_fresh_*).
        await MeshBench.WaitForConfiguredSyncsAsync(o, sandbox);
        var addedMs = await MeshBench.SyncAddedCompanyAsync(o, sandbox, "a", "ingest_fresh", results);
        added.SetResult(addedMs);
        var cpu = ProcessCpu.Snapshot(Pids(o));
        var work = await WorkCounters.SnapshotAsync(o.Get("vhost", ""));
        var statements = await WorkCounters.StatementsAsync();
        results["ingest_store_seconds"] = Math.Round(await store, 2);

        var invoices = o.Int("invoices-a", 0) + o.Int("invoices-b", 0) + o.Int("invoices-c", 0);
        results["sync_a_invoices_all_companies"] = invoices;
        results["cpu_ms_per_invoice"] = cpu.Keys.Where(k => k != "bench-driver").OrderBy(k => k, StringComparer.Ordinal).ToDictionary(k => k,
            k => Math.Round((cpu[k] - before.Cpu.GetValueOrDefault(k)) * 1000 / invoices, 4));
        WorkCounters.Report(before.Work, work, invoices, results, "invoice");
        await WorkCounters.WriteStatementsAsync(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.Get("out")))!, "sync-a-statements.txt"),
            before.Statements.ToDictionary(kv => kv.Key, kv => (kv.Value.Calls, kv.Value.Ms, kv.Value.Query)), statements, invoices, "invoice");
        // Then W, of A's size, on services that have now run the ingest path in bulk (B, C and A: 18,400 invoices) but no
        // payment yet (not in the figures per invoice above).
        await MeshBench.SyncAddedCompanyAsync(o, sandbox, "w", "ingest_after_syncs", results);
        results["machine"] = Machine.Describe();
        results["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        await Summary.WriteAsync(o.Get("out"), results);
        Console.WriteLine(JsonSerializer.Serialize(results, Summary.Options));
        return (int)results["ingest_fresh_invoices"] >= o.Int("invoices-a", 0) ? 0 : 1;
    }

    /// <summary>Seconds from the request that added A's connection until it reports its initial sync complete (every page in the store).</summary>
    private static async Task<double> WatchStoreAsync(BenchOptions o, Task<long> added)
    {
        var tenant = o.Get("tenant-a");
        using var ingest = Reader(o.Get("ingest"), tenant);
        // Started before the request, so that the poll runs while the sync does; it reads once the request is made.
        var startedMs = await added;
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - startedMs < TimeSpan.FromMinutes(4).TotalMilliseconds)
        {
            var connections = await ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{tenant}/connections", Json);
            if (connections is [var connection] && connection.GetProperty("initialSyncComplete").GetBoolean())
            {
                return (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - startedMs) / 1000.0;
            }

            await Task.Delay(100);
        }

        return double.NaN;
    }

    /// <summary>InvoiceIngest's API as a reader of <paramref name="tenant"/>: it takes this machine's tokens (bench.sh, processes.sh).</summary>
    public static HttpClient Reader(string ingestUrl, string tenant) => Client(ingestUrl, tenant, write: false);

    /// <summary>InvoiceIngest's API as <paramref name="tenant"/>'s operator (reads and writes), or reader only.</summary>
    public static HttpClient Client(string ingestUrl, string tenant, bool write)
    {
        var ingest = new HttpClient { BaseAddress = new Uri(ingestUrl), Timeout = TimeSpan.FromMinutes(2) };
        using var key = LocalSigningKey.LoadOrCreate();
        ingest.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            key.Mint("bench", [tenant], write ? [AccessRoles.Read, AccessRoles.Write] : [AccessRoles.Read], TimeSpan.FromHours(2)));
        return ingest;
    }

    /// <summary><c>--pids name=pid,...</c>: the processes whose CPU is counted.</summary>
    public static Dictionary<string, int> Pids(BenchOptions o) =>
        o.Get("pids").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
