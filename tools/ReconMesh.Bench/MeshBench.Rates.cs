using System.Diagnostics;
using MassTransit;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.Bench;

/// <summary>(b') latency at a fixed rate and (d) QuickBooks at its real limit: the parts of the mesh bench that offer a
/// steady load rather than the most it takes.</summary>
internal static partial class MeshBench
{
    /// <summary>(b') Latency at a fixed 100 payments/s for ~30 s on C (limits off, a small company so watching it is cheap).</summary>
    private static async Task FixedRateAsync(BenchOptions o, SandboxApi sandbox, IBusControl bus, string tag, IReadOnlySet<Guid> warmed,
        IReadOnlyDictionary<string, int> pids, SortedDictionary<string, object> results)
    {
        var rate = o.Int("rate", 100);
        var invoices = (await sandbox.OpenPlatformInvoicesAsync(o.Get("tenant-c"))).Where(i => !warmed.Contains(i.InvoiceId))
            .Take(rate * o.Int("rate-seconds", 30)).ToList();
        // Each booking's time is the sandbox's own, so looking more often measures nothing better; looking every 10 ms cost
        // the machine the run measures about 0.5 ms of CPU a payment, the driver's and the sandbox's (issue #14).
        var watcher = new PaymentWatcher(sandbox, o.Get("realm-c"), TimeSpan.FromMilliseconds(200));
        // The warm-up's bookings on C are passed over before the run, not read while it is measured.
        await watcher.SkipPastAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var watching = watcher.RunAsync(stop.Token);
        await Task.Delay(500);

        var stages = new LatencyStages();
        var hops = new HopTimes(o.Get("payment-events"), o.Get("writeback"));
        await hops.StartAsync();
        var published = new Dictionary<string, long>(StringComparer.Ordinal);
        var publishes = new List<Task>(invoices.Count);
        // What a payment costs at this rate (small batches), beside what it costs at the most the mesh takes.
        // The servers' counters are read with the bus quiet and the broker's totals complete (before the CPU's, which are exact).
        var workBefore = await WorkCounters.SettledSnapshotAsync(o.Get("vhost", ""), TimeSpan.FromSeconds(30));
        var statementsBefore = await WorkCounters.StatementsAsync();
        var cpuBefore = ProcessCpu.Snapshot(pids);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < invoices.Count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var payment = Payment($"bn{tag}c{i:D6}", invoices[i]);
            published[payment.PaymentId] = Stopwatch.GetTimestamp();
            publishes.Add(bus.Publish(payment));
        }

        await Task.WhenAll(publishes);
        var sent = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var drain = Stopwatch.StartNew();
        // The watcher also sees the warm-up's payments on C: only this run's are waited for.
        while (published.Keys.Count(watcher.Seen.ContainsKey) < published.Count && drain.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await watching;
        var cpuAfter = ProcessCpu.Snapshot(pids);
        // Counted once what the last payments' events caused has gone through (the writeback relay gathers for 100 ms).
        var workAfter = await WorkCounters.SettledSnapshotAsync(o.Get("vhost", ""), TimeSpan.FromSeconds(30));
        var statementsAfter = await WorkCounters.StatementsAsync();
        var latencies = published.Where(p => watcher.Seen.ContainsKey(p.Key))
            .Select(p => Stopwatch.GetElapsedTime(p.Value, watcher.Seen[p.Key]).TotalMilliseconds).ToList();
        Console.WriteLine($"[bench] {rate}/s: {published.Count} published over {sent:F1} s, {latencies.Count} in the books");
        results["e2e_fixed_rate_per_s"] = rate;
        results["e2e_fixed_rate_payments"] = published.Count;
        results["e2e_fixed_rate_booked"] = latencies.Count;
        results["e2e_fixed_rate_booked_twice"] = watcher.Duplicates;
        results["e2e_p50_ms"] = Percentile(latencies, 50);
        results["e2e_p95_ms"] = Percentile(latencies, 95);
        results["e2e_p99_ms"] = Percentile(latencies, 99);
        results["e2e_latency_watch_interval_ms"] = 10;
        // Publish and booking are both taken on the machine's monotonic clock: the error is the clock's resolution, not the watching.
        results["e2e_latency_error_ms"] = Math.Round(1000.0 / Stopwatch.Frequency, 6);
        if (latencies.Any(l => l < 0))
        {
            throw new InvalidOperationException("A payment was booked before it was published: the sandbox and the bench do not share a clock.");
        }

        var perPayment = CpuMsPerPayment(cpuBefore, cpuAfter, latencies.Count);
        results["e2e_fixed_rate_cpu_ms_per_payment"] = perPayment;
        results["e2e_fixed_rate_cpu_ms_per_payment_total"] = MeshTotal(perPayment);
        WorkCounters.Report(workBefore, workAfter, latencies.Count, results, "payment_at_fixed_rate");
        await WorkCounters.WriteStatementsAsync(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.Get("out")))!, "statements-fixed-rate.txt"),
            statementsBefore, statementsAfter, latencies.Count);
        await stages.ReportAsync(published, watcher.Seen, results, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.Get("out")))!, "latency.csv"));
        await hops.ReportAsync(results);
    }

    /// <summary>
    /// (d) B has QuickBooks' real limits (500/min, 10 concurrent) and the connection uses the defaults. A backlog is kept
    /// (at least <c>backlog</c> payments published and not yet booked); after a warm-up, the sandbox's request count over
    /// a full 60 s window is compared with 500. Watching uses the admin API, which QuickBooks' limits do not count.
    /// </summary>
    private static async Task LimitsAsync(BenchOptions o, SandboxApi sandbox, IBusControl bus, string tag, SortedDictionary<string, object> results)
    {
        var invoices = await sandbox.OpenPlatformInvoicesAsync(o.Get("tenant-b"));
        var realm = o.Get("realm-b");
        var backlog = o.Int("backlog", 60);
        var warmup = TimeSpan.FromSeconds(o.Int("limits-warmup-s", 12));
        var start = await sandbox.BooksAsync(realm);
        var next = 0;
        var clock = Stopwatch.StartNew();
        SandboxApi.BooksCounts? windowStart = null;
        var windowClock = new Stopwatch();
        var current = start;
        while (true)
        {
            var booked = current.Payments - start.Payments;
            while (next - booked < backlog && next < invoices.Count)
            {
                await bus.Publish(Payment($"bn{tag}b{next:D6}", invoices[next]));
                next++;
            }

            if (windowStart is null && clock.Elapsed >= warmup)
            {
                windowStart = await sandbox.BooksAsync(realm);
                windowClock.Start();
            }

            if (windowStart is not null && windowClock.Elapsed >= TimeSpan.FromSeconds(60))
            {
                break;
            }

            await Task.Delay(250);
            current = await sandbox.BooksAsync(realm);
        }

        var windowEnd = await sandbox.BooksAsync(realm);
        var seconds = windowClock.Elapsed.TotalSeconds;
        var requests = windowEnd.RequestCount - windowStart.RequestCount;
        var perMinute = requests * 60.0 / seconds;
        Console.WriteLine($"[bench] limits: {requests} QuickBooks requests in {seconds:F1} s, {windowEnd.Payments - windowStart.Payments} payments booked, " +
            $"{windowEnd.ThrottledCount - start.ThrottledCount} throttled; {next - (windowEnd.Payments - start.Payments)} still queued");

        // Let the small remainder drain so nothing is left on the shared broker for a later run.
        var drain = Stopwatch.StartNew();
        while ((await sandbox.BooksAsync(realm)).Payments - start.Payments < next && drain.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(500);
        }

        var end = await sandbox.BooksAsync(realm);
        results["qbo_requests_in_window"] = requests;
        results["qbo_window_seconds"] = Math.Round(seconds, 1);
        results["qbo_requests_per_min"] = Math.Round(perMinute, 1);
        results["qbo_limit_utilisation"] = Math.Round(requests / (double)QboRequestsPerMinute, 3);
        results["qbo_payments_per_min_at_limit"] = Math.Round((windowEnd.Payments - windowStart.Payments) * 60.0 / seconds, 1);
        results["qbo_429_count"] = end.ThrottledCount;
        results["qbo_limited_payments_published"] = next;
        results["qbo_limited_payments_booked"] = end.Payments - start.Payments;
    }
}
