using System.Net.Http.Json;
using System.Diagnostics;
using System.Globalization;
using MassTransit;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.Bench;

/// <summary>
/// Drives the running mesh (sandbox + PaymentEvents + WritebackService + InvoiceIngest, separate processes):
/// (c') initial sync of company W on freshly started services, (b0) a warm-up on C, (c) initial sync of company A, (b)
/// payments/s end to end on A and latency at 100/s on C (limits off), (d) a backlog on B under QuickBooks' real limits.
/// </summary>
internal static partial class MeshBench
{
    private const int QboRequestsPerMinute = 500;

    public static async Task<int> SetupAsync(BenchOptions o)
    {
        using var sandbox = new SandboxApi(new Uri(o.Get("sandbox")));
        foreach (var (key, rpm, concurrent) in new[] { ("b", QboRequestsPerMinute, 10), ("c", 0, 0), ("a", 0, 0), ("w", 0, 0) })
        {
            var realm = o.Get($"realm-{key}");
            var invoices = o.Int($"invoices-{key}", 100);
            var clock = Stopwatch.StartNew();
            await sandbox.CreateCompanyAsync(realm, o.Get($"token-{key}"), rpm, concurrent);
            // In chunks: the simulator checks each new DocNumber against every invoice (O(n) per invoice), so one
            // request for 20,000 takes minutes on a busy machine.
            const int chunk = 1_000;
            for (var seeded = 0; seeded < invoices; seeded += chunk)
            {
                var count = Math.Min(chunk, invoices - seeded);
                await sandbox.SeedAsync(realm, Math.Max(1, count / 4), count, 42 + seeded);
            }

            Console.WriteLine($"[bench] company {key.ToUpperInvariant()} ({realm}): {invoices} open invoices, limits " +
                (rpm == 0 ? "off" : $"{rpm}/min and {concurrent} concurrent") + $" ({clock.Elapsed.TotalSeconds:F1} s)");
        }

        return 0;
    }

    public static async Task<int> RunAsync(BenchOptions o)
    {
        using var sandbox = new SandboxApi(new Uri(o.Get("sandbox")));
        var results = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (k, v) in Summary.Read(o.Get("ceilings")).Concat(Summary.Read(o.Get("sync", ""))))
        {
            results[k] = v!.DeepClone();
        }

        var pids = IngestBench.Pids(o);
        var tag = o.Get("tag");

        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(BenchOptions.RabbitMq), h => h.PublisherConfirmation = true));
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        try
        {
            // (c') W's initial sync, of A's size, on the freshly started services: the code's first run in bulk, the JIT
            // compiling it inside (ingest_fresh_*, docs/benchmarks.md).
            await WaitForConfiguredSyncsAsync(o, sandbox);
            await SyncAddedCompanyAsync(o, sandbox, "w", "ingest_fresh", results);
            // Each figure is measured on warm services, the ingest's as the payments': the warm-up's payments run the
            // services' shared stack (bus, store, serialisers) through its compilations first.
            var warmed = await WarmUpAsync(o, sandbox, bus, tag, pids, results);
            await SyncAddedCompanyAsync(o, sandbox, "a", "ingest", results);
            await EndToEndAsync(o, sandbox, bus, tag, pids, results);
            // The fixed rate is measured on a mesh at rest, not behind what the max run left queued or left to vacuum.
            results["e2e_fixed_rate_quiet_wait_s"] = Math.Round((await WorkCounters.WaitForQuietBusAsync(o.Get("vhost", ""), TimeSpan.FromSeconds(120))).TotalSeconds, 1);
            results["e2e_fixed_rate_vacuum_s"] = Math.Round((await WorkCounters.VacuumAsync()).TotalSeconds, 1);
            var rest = Stopwatch.StartNew();
            Console.WriteLine($"[bench] before the fixed rate: {await WaitForRestAsync(pids, TimeSpan.FromSeconds(30))} after {rest.Elapsed.TotalSeconds:F1} s");
            await FixedRateAsync(o, sandbox, bus, tag, warmed, pids, results);
            await LimitsAsync(o, sandbox, bus, tag, results);
        }
        finally
        {
            await bus.StopAsync();
        }

        if (results.TryGetValue("ceiling_bus_msgs_per_s", out var ceiling)
            && Convert.ToDouble(ceiling.ToString(), CultureInfo.InvariantCulture) is var busCeiling and > 0)
        {
            results["ratio_e2e_to_bus_ceiling"] = Math.Round((double)results["e2e_payments_per_s"] / busCeiling, 4);
        }
        results["machine"] = Machine.Describe();
        results["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        await Summary.WriteAsync(o.Get("out"), results);
        Table.Print(results);
        // The bar is each payment in the books once: a second booking fails the run.
        return (int)results["e2e_payments_booked_twice"] + (int)results["e2e_fixed_rate_booked_twice"] == 0 ? 0 : 1;
    }

    /// <summary>Waits until B's and C's syncs (configured before InvoiceIngest started) are on the platform.</summary>
    internal static async Task WaitForConfiguredSyncsAsync(BenchOptions o, SandboxApi sandbox)
    {
        foreach (var key in new[] { "c", "b" })
        {
            var want = o.Int($"invoices-{key}", 100);
            var clock = Stopwatch.StartNew();
            while ((await sandbox.InvoiceProgressAsync(o.Get($"tenant-{key}"))).Invoices < want && clock.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>
    /// Adds the company <paramref name="key"/>'s connection through the API (its access token given to the services by
    /// reference, <c>bench-{key}</c>, as bench.sh does) and times it from that request until the platform simulator has
    /// heard of every invoice, the end read from the simulator's own clock (the same machine's), not from when this polls.
    /// Returns when the request was made (Unix ms).
    /// </summary>
    internal static async Task<long> SyncAddedCompanyAsync(BenchOptions o, SandboxApi sandbox, string key, string prefix,
        IDictionary<string, object> results)
    {
        var tenant = o.Get($"tenant-{key}");
        var expected = o.Int($"invoices-{key}", 20_000);
        var deadline = TimeSpan.FromSeconds(o.Int("ingest-timeout-s", 240));
        using var ingest = IngestBench.Client(o.Get("ingest"), tenant, write: true);
        var startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (var added = await ingest.PostAsJsonAsync($"/tenants/{tenant}/connections", new
        {
            id = Guid.Parse(o.Get($"connection-{key}")), kind = "QuickBooksOnline", baseUrl = o.Get("sandbox"), realmId = o.Get($"realm-{key}"),
            credentialsSecret = $"bench-{key}", requestsPerMinute = 0, maxConcurrent = 0,
        }))
        {
            if (!added.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"adding {key.ToUpperInvariant()}'s connection: {(int)added.StatusCode} {await added.Content.ReadAsStringAsync()}");
            }
        }

        var progress = new SandboxApi.InvoiceProgress(0, 0);
        var last = -1;
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - startedMs < deadline.TotalMilliseconds)
        {
            progress = await sandbox.InvoiceProgressAsync(tenant);
            if (progress.Invoices / 1000 != last / 1000)
            {
                Console.WriteLine($"[bench] initial sync of {key.ToUpperInvariant()}: {progress.Invoices}/{expected} invoices on the platform after " +
                    $"{(progress.LastFirstHeardAtMs - startedMs) / 1000.0:F1} s");
                last = progress.Invoices;
            }

            if (progress.Invoices >= expected)
            {
                break;
            }

            await Task.Delay(50);
        }

        var seconds = (progress.LastFirstHeardAtMs - startedMs) / 1000.0;
        results[$"{prefix}_invoices"] = progress.Invoices;
        results[$"{prefix}_seconds"] = Math.Round(seconds, 3);
        results[$"{prefix}_invoices_per_s"] = Math.Round(progress.Invoices / seconds, 1);
        return startedMs;
    }

    /// <summary>
    /// (b) Max throughput on A (limits off): one payment per open invoice, published onto RabbitMQ as the platform does,
    /// keeping at most <c>window</c> payments in flight (published, not yet in the books), until all invoices are paid
    /// or the time budget is spent. Throughput = payments in the books / (last seen − first published).
    /// </summary>
    private static async Task EndToEndAsync(BenchOptions o, SandboxApi sandbox, IBusControl bus, string tag,
        IReadOnlyDictionary<string, int> pids, SortedDictionary<string, object> results)
    {
        var invoices = await sandbox.OpenPlatformInvoicesAsync(o.Get("tenant-a"));
        var window = o.Int("window", 2_000);
        var budget = TimeSpan.FromSeconds(o.Int("e2e-budget-s", 180));
        var watcher = new PaymentWatcher(sandbox, o.Get("realm-a"), TimeSpan.FromMilliseconds(200));
        using var stop = new CancellationTokenSource();
        var watching = watcher.RunAsync(stop.Token);

        var published = new Dictionary<string, long>(StringComparer.Ordinal);
        var workBefore = await WorkCounters.SnapshotAsync(o.Get("vhost", ""));
        var statementsBefore = await WorkCounters.StatementsAsync();
        var cpuBefore = ProcessCpu.Snapshot(pids);
        var clock = Stopwatch.StartNew();
        var first = Stopwatch.GetTimestamp();
        var nextReport = TimeSpan.FromSeconds(10);
        foreach (var chunk in invoices.Select((invoice, i) => (invoice, i)).Chunk(50))
        {
            if (clock.Elapsed > budget)
            {
                break;
            }

            while (published.Count - watcher.Count >= window && clock.Elapsed <= budget)
            {
                await Task.Delay(5);
            }

            var messages = chunk.Select(c => Payment($"bn{tag}a{c.i:D6}", c.invoice)).ToList();
            var at = Stopwatch.GetTimestamp();
            foreach (var m in messages)
            {
                published[m.PaymentId] = at;
            }

            await Task.WhenAll(messages.Select(m => bus.Publish(m)));
            if (clock.Elapsed > nextReport)
            {
                Console.WriteLine($"[bench] end to end: {published.Count} published, {watcher.Count} in the books after {clock.Elapsed.TotalSeconds:F0} s");
                nextReport += TimeSpan.FromSeconds(10);
            }
        }

        var publishedSeconds = clock.Elapsed.TotalSeconds;
        var drain = Stopwatch.StartNew();
        while (watcher.Count < published.Count && drain.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await watching;
        var cpuAfter = ProcessCpu.Snapshot(pids);
        var cpuWindow = Stopwatch.GetElapsedTime(first).TotalSeconds;
        var workAfter = await WorkCounters.SettledSnapshotAsync(o.Get("vhost", ""), TimeSpan.FromSeconds(30));
        var statementsAfter = await WorkCounters.StatementsAsync();

        var booked = published.Keys.Where(watcher.Seen.ContainsKey).ToList();
        var last = booked.Count == 0 ? first : booked.Max(id => watcher.Seen[id]);
        var seconds = Stopwatch.GetElapsedTime(first, last).TotalSeconds;
        var latencies = booked.Select(id => Stopwatch.GetElapsedTime(published[id], watcher.Seen[id]).TotalMilliseconds).ToList();
        Console.WriteLine($"[bench] end to end: {published.Count} published in {publishedSeconds:F1} s, {booked.Count} in the books after {seconds:F1} s ({watcher.Polls} polls)");

        results["e2e_payments"] = booked.Count;
        results["e2e_payments_booked_twice"] = watcher.Duplicates;
        results["e2e_payments_published"] = published.Count;
        results["e2e_seconds"] = Math.Round(seconds, 2);
        results["e2e_payments_per_s"] = Math.Round(seconds > 0 ? booked.Count / seconds : 0, 1);
        results["e2e_window"] = window;
        results["e2e_sustained_p50_ms"] = Percentile(latencies, 50);
        results["e2e_sustained_p95_ms"] = Percentile(latencies, 95);
        results["e2e_sustained_p99_ms"] = Percentile(latencies, 99);
        var msPerPayment = CpuMsPerPayment(cpuBefore, cpuAfter, booked.Count);
        // The same figure in seconds (milliseconds to 3 places are seconds to 6).
        results["cpu_seconds_per_payment"] = msPerPayment.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / 1000, 6));
        results["cpu_ms_per_payment"] = msPerPayment;
        // Everything the mesh needs on this machine: the three services, the sandbox standing in for the integrations and
        // the platform, PostgreSQL and RabbitMQ; not the driver that publishes and watches.
        results["cpu_ms_per_payment_total"] = MeshTotal(msPerPayment);
        var total = cpuAfter.Sum(kv => kv.Value - cpuBefore.GetValueOrDefault(kv.Key));
        results["cpu_seconds_during_e2e"] = Math.Round(total, 1);
        WorkCounters.Report(workBefore, workAfter, booked.Count, results);
        await WorkCounters.WriteStatementsAsync(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.Get("out")))!, "statements.txt"),
            statementsBefore, statementsAfter, booked.Count);
        results["cpu_utilisation_during_e2e"] = Math.Round(total / (cpuWindow * Environment.ProcessorCount), 3);
    }

    /// <summary>Each process's CPU between two snapshots, in milliseconds per payment.</summary>
    private static Dictionary<string, double> CpuMsPerPayment(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after, int payments) =>
        after.Keys.OrderBy(k => k, StringComparer.Ordinal).ToDictionary(k => k,
            k => payments == 0 ? 0 : Math.Round((after[k] - before.GetValueOrDefault(k)) * 1000 / payments, 3));

    /// <summary>Everything the mesh needs on this machine (services, sandbox, PostgreSQL, RabbitMQ), not the driver.</summary>
    private static double MeshTotal(Dictionary<string, double> msPerPayment) =>
        Math.Round(msPerPayment.Where(kv => kv.Key != "bench-driver").Sum(kv => kv.Value), 2);

    private static PaymentProcessed Payment(string paymentId, SandboxApi.PlatformInvoice invoice) =>
        new(paymentId, invoice.TenantId, PaymentMethod.Ach, invoice.Currency, invoice.Balance,
            Math.Min(5.00m, decimal.Round(invoice.Balance * 0.008m, 2, MidpointRounding.AwayFromZero)),
            [new PaymentAllocation(invoice.InvoiceId, invoice.Balance)], DateTimeOffset.UtcNow);

    internal static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return -1;
        }

        values.Sort();
        var rank = (int)Math.Ceiling(p / 100.0 * values.Count) - 1;
        return Math.Round(values[Math.Clamp(rank, 0, values.Count - 1)], 1);
    }
}
