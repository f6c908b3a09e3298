using System.Diagnostics;
using MassTransit;

namespace ReconMesh.Bench;

/// <summary>(b0) The payment path warmed before anything on it is measured, as the peer warms its own.</summary>
internal static partial class MeshBench
{
    /// <summary>
    /// Pays <c>warmup</c> invoices of C as fast as the mesh takes them, waits until they are in the books, the bus is empty
    /// and the services' CPU has come to rest, and returns the invoices it paid (the fixed-rate run leaves them out).
    /// Freshly started services spend the first minute of payments compiling them: the JIT's background tier-up thread
    /// was 13-34% of the machine, second by second, through the first 25 s of the max run (perf, session 16 of
    /// docs/benchmarks.md), so an unwarmed run measures the compiler as much as the mesh. Nothing of the warm-up is in
    /// any figure.
    /// </summary>
    private static async Task<IReadOnlySet<Guid>> WarmUpAsync(BenchOptions o, SandboxApi sandbox, IBusControl bus, string tag,
        IReadOnlyDictionary<string, int> pids, SortedDictionary<string, object> results)
    {
        var count = o.Int("warmup", 3_000);
        if (count <= 0)
        {
            return new HashSet<Guid>();
        }

        // The last of C's open invoices: the fixed-rate run takes the first ones.
        var invoices = (await sandbox.OpenPlatformInvoicesAsync(o.Get("tenant-c"))).TakeLast(count).ToList();
        var rounds = Math.Max(1, o.Int("warmup-rounds", 3));
        var clock = Stopwatch.StartNew();
        var booked = 0;
        var rests = new List<string>();
        foreach (var part in invoices.Select((invoice, i) => (invoice, i)).Chunk((invoices.Count + rounds - 1) / rounds))
        {
            booked += await PayAsync(o, sandbox, bus, [.. part.Select(p => Payment($"bn{tag}w{p.i:D6}", p.invoice))]);
            await WorkCounters.WaitForQuietBusAsync(o.Get("vhost", ""), TimeSpan.FromSeconds(60));
            rests.Add(await WaitForRestAsync(pids, TimeSpan.FromSeconds(30)));
        }

        Console.WriteLine($"[bench] warm-up: {booked}/{invoices.Count} payments on C in {rounds} rounds, in the books and the services at rest " +
            $"after {clock.Elapsed.TotalSeconds:F1} s ({string.Join("; ", rests)})");
        results["warmup_payments"] = booked;
        results["warmup_rounds"] = rounds;
        results["warmup_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        return invoices.Select(i => i.InvoiceId).ToHashSet();
    }

    /// <summary>Publishes <paramref name="payments"/> (C's) at most 500 ahead of the books, and returns how many were booked.</summary>
    private static async Task<int> PayAsync(BenchOptions o, SandboxApi sandbox, IBusControl bus, IReadOnlyList<ReconMesh.Contracts.Payments.PaymentProcessed> payments)
    {
        var watcher = new PaymentWatcher(sandbox, o.Get("realm-c"), TimeSpan.FromMilliseconds(200));
        using var stop = new CancellationTokenSource();
        var watching = watcher.RunAsync(stop.Token);
        var clock = Stopwatch.StartNew();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        const int window = 500;
        foreach (var chunk in payments.Chunk(50))
        {
            while (ids.Count - ids.Count(watcher.Seen.ContainsKey) >= window && clock.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(20);
            }

            ids.UnionWith(chunk.Select(m => m.PaymentId));
            await Task.WhenAll(chunk.Select(m => bus.Publish(m)));
        }

        while (ids.Count(watcher.Seen.ContainsKey) < ids.Count && clock.Elapsed < TimeSpan.FromSeconds(180))
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await watching;
        return ids.Count(watcher.Seen.ContainsKey);
    }

    /// <summary>
    /// Waits until the three services together use under a twentieth of a core over a second (the JIT's background
    /// compiles done), or <paramref name="limit"/> passes. Returns how it ended, for the log.
    /// </summary>
    private static async Task<string> WaitForRestAsync(IReadOnlyDictionary<string, int> pids, TimeSpan limit)
    {
        var services = pids.Where(p => p.Key is "payment-events" or "writeback-service" or "invoice-ingest").ToDictionary();
        var clock = Stopwatch.StartNew();
        var before = ProcessCpu.Snapshot(services);
        while (clock.Elapsed < limit)
        {
            await Task.Delay(1_000);
            var after = ProcessCpu.Snapshot(services);
            var used = services.Keys.Sum(k => after.GetValueOrDefault(k) - before.GetValueOrDefault(k));
            if (used < 0.05)
            {
                return $"{used:F2} s of CPU in the last second";
            }

            before = after;
        }

        return "still busy at the limit";
    }
}
