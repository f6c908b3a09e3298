using System.Text.Json;

namespace ReconMesh.Bench;

/// <summary>The summary as a plain table on stdout.</summary>
internal static class Table
{
    private static readonly (string Key, string Label)[] Rows =
    [
        ("ceiling_bus_msgs_per_s", "bus ceiling (MassTransit/RabbitMQ, msg/s)"),
        ("ceiling_store_appends_per_s", "store ceiling, 1 writer (appends/s)"),
        ("ceiling_store_appends_8_writers_per_s", "store ceiling, 8 writers (appends/s)"),
        ("ceiling_store_appends_batched_per_s", "store ceiling, 100 streams/session (appends/s)"),
        ("ingest_invoices_per_s", "initial sync, services warm (invoices/s)"),
        ("ingest_invoices", "  invoices synced"),
        ("ingest_seconds", "  seconds"),
        ("ingest_fresh_invoices_per_s", "initial sync, services just started (invoices/s)"),
        ("ingest_fresh_seconds", "  seconds"),
        ("sync_qbo_invoices_per_s", "QuickBooks 20k initial sync (invoices/s)"),
        ("sync_qbo_store_invoices_per_s", "  to the store (invoices/s)"),
        ("sync_qbo_requests_per_min", "  requests/min"),
        ("sync_qbo_429_count", "  429s"),
        ("sync_qbo_open_invoices_held", "  open invoices held"),
        ("sync_qbo_closed_invoices_held", "  closed invoices held"),
        ("sync_cw_invoices_per_s", "ConnectWise 20k initial sync (invoices/s)"),
        ("sync_cw_store_invoices_per_s", "  to the store (invoices/s)"),
        ("sync_cw_requests_per_min", "  requests/min"),
        ("sync_cw_429_count", "  429s"),
        ("sync_cw_open_invoices_held", "  open invoices held"),
        ("sync_cw_closed_invoices_held", "  closed invoices held"),
        ("sync_xero_invoices_per_s", "Xero 20k initial sync at 60/min, 5 at once (invoices/s)"),
        ("sync_xero_store_invoices_per_s", "  to the store (invoices/s)"),
        ("sync_xero_requests", "  requests"),
        ("sync_xero_requests_per_min", "  requests/min"),
        ("sync_xero_429_count", "  429s"),
        ("sync_xero_open_invoices_held", "  open invoices held"),
        ("sync_xero_closed_invoices_held", "  closed invoices held"),
        ("sync_autotask_invoices_per_s", "Autotask 20k initial sync in a 20% share (invoices/s)"),
        ("sync_autotask_store_invoices_per_s", "  to the store (invoices/s)"),
        ("sync_autotask_requests", "  requests"),
        ("sync_autotask_requests_per_hour", "  requests/hour at the sync's pace"),
        ("sync_autotask_claimed_requests_per_hour", "  requests/hour claimed (of 10,000)"),
        ("sync_autotask_delayed", "  calls delayed (above 50% of the hour)"),
        ("sync_autotask_429_count", "  429s (hourly block, thread limit)"),
        ("sync_autotask_open_invoices_held", "  open invoices held"),
        ("sync_autotask_closed_invoices_held", "  closed invoices held"),
        ("e2e_payments_per_s", "end to end, limits off (payments/s)"),
        ("e2e_payments", "  payments in the books"),
        ("e2e_payments_booked_twice", "  booked twice (must be 0)"),
        ("e2e_seconds", "  seconds"),
        ("e2e_sustained_p50_ms", "  latency p50 during max run (ms)"),
        ("e2e_sustained_p99_ms", "  latency p99 during max run (ms)"),
        ("e2e_p50_ms", "latency p50 at 100/s (ms)"),
        ("e2e_p95_ms", "latency p95 at 100/s (ms)"),
        ("e2e_p99_ms", "latency p99 at 100/s (ms)"),
        ("e2e_fixed_rate_booked_twice", "  booked twice at 100/s (must be 0)"),
        ("e2e_stage_accept_p99_ms", "  publish -> PaymentEvents saved, p99 (ms)"),
        ("e2e_stage_book_p99_ms", "  saved -> booked, p99 (ms)"),
        ("e2e_stage_accept_slowest1pct_mean_ms", "  slowest 1%: publish -> saved, mean (ms)"),
        ("e2e_stage_book_slowest1pct_mean_ms", "  slowest 1%: saved -> booked, mean (ms)"),
        ("hop_accept_delivery_mean_ms", "  hop: publish -> PaymentEvents' batch, mean (ms)"),
        ("hop_accept_batch_mean_ms", "  hop: PaymentEvents' batch consumed, mean (ms)"),
        ("hop_relay_delivery_mean_ms", "  hop: relay publish -> Writeback's batch, mean (ms)"),
        ("hop_book_in_batch_mean_ms", "  hop: PaymentAccepted in Writeback's batch, mean (ms)"),
        ("hop_book_batch_mean_ms", "  hop: Writeback's batch consumed, mean (ms)"),
        ("hop_qbo_post_mean_ms", "  hop: POST to QuickBooks, mean (ms)"),
        ("qbo_requests_per_min", "QuickBooks requests/min under 500/min"),
        ("qbo_limit_utilisation", "  utilisation of 500/min"),
        ("qbo_429_count", "  429s (throttled)"),
        ("qbo_payments_per_min_at_limit", "  payments/min at the limit"),
        ("ratio_e2e_to_bus_ceiling", "end to end / bus ceiling"),
        ("cpu_utilisation_during_e2e", "CPU busy during e2e (of all cores)"),
        ("cpu_ms_per_payment_total", "CPU ms per payment (mesh, sandbox, servers)"),
        ("pg_commits_per_payment", "PostgreSQL commits per payment"),
        ("pg_rows_written_per_payment", "PostgreSQL rows written per payment"),
        ("bus_publishes_per_payment", "RabbitMQ publishes per payment"),
        ("bus_deliveries_per_payment", "RabbitMQ deliveries per payment"),
    ];

    /// <summary>Prints a summary file (e.g. only the sync figures).</summary>
    public static int Print(string path)
    {
        Print(Summary.Read(path).ToDictionary(kv => kv.Key, kv => (object)kv.Value!.DeepClone()));
        return 0;
    }

    public static void Print(IDictionary<string, object> results)
    {
        Console.WriteLine();
        Console.WriteLine("ReconMesh benchmarks");
        foreach (var (key, label) in Rows)
        {
            Console.WriteLine($"  {label,-48} {Format(results.TryGetValue(key, out var v) ? v : null),14}");
        }

        if (results.TryGetValue("cpu_seconds_per_payment", out var cpu) && cpu is IDictionary<string, double> byProcess)
        {
            Console.WriteLine("  CPU ms per payment by process");
            foreach (var (name, seconds) in byProcess.OrderByDescending(kv => kv.Value))
            {
                Console.WriteLine($"    {name,-46} {seconds * 1000,14:F3}");
            }
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "-",
        double d => d.ToString("#,0.###", System.Globalization.CultureInfo.InvariantCulture),
        int i => i.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture),
        long l => l.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value).Trim('"'),
    };
}
