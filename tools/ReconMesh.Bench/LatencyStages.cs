using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ReconMesh.Bench;

/// <summary>
/// Where the fixed-rate run's latency goes, from what each step left behind: the publish (the bench's monotonic clock),
/// PaymentEvents' <c>payment_received</c> event and WritebackService's <c>payment_written_back</c> event (both stamped
/// by the service's own clock as it saves them, in the bench's database), and the booking (the sandbox's monotonic
/// clock). The processes share the machine's clocks; the monotonic times are put on the wall clock through one anchor
/// taken at the start of the run. Three stages per payment:
/// <list type="bullet">
/// <item><c>accept</c>: publish → PaymentEvents saves the payment (the bus, the batch's window, the batch's read);</item>
/// <item><c>book</c>: that save → the sandbox books it (its commit, the relay, WritebackService's batch, the HTTP calls);</item>
/// <item><c>record</c>: the booking → WritebackService saves what it booked (not part of the e2e latency).</item>
/// </list>
/// Reported for every payment (p50, p99) and for the slowest 1% (their mean per stage): where the tail comes from; and
/// each payment's stages by its publish time in <c>latency.csv</c> beside the summary.
/// </summary>
internal sealed class LatencyStages
{
    private readonly long _anchorTicks = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _anchorWall = DateTimeOffset.UtcNow;

    private DateTimeOffset Wall(long ticks) => _anchorWall + Stopwatch.GetElapsedTime(_anchorTicks, ticks);

    /// <summary>One payment's latency and its three stages, in milliseconds.</summary>
    private readonly record struct StagesMs(double EndToEnd, double Accept, double Book, double Record);

    public async Task ReportAsync(IReadOnlyDictionary<string, long> published, IReadOnlyDictionary<string, long> booked,
        IDictionary<string, object> results, string csvPath)
    {
        var saved = await SavedAsync(published.Keys.ToList());
        var rows = new List<StagesMs>();
        var csv = new List<string> { "published_unix_s,published_s,e2e_ms,accept_ms,book_ms,record_ms" };
        var first = published.Count == 0 ? 0 : published.Values.Min();
        foreach (var (paymentId, publishedAt) in published)
        {
            if (!booked.TryGetValue(paymentId, out var bookedAt) || !saved.TryGetValue(paymentId, out var at))
            {
                continue;
            }

            var booking = Wall(bookedAt);
            var row = new StagesMs(Stopwatch.GetElapsedTime(publishedAt, bookedAt).TotalMilliseconds, (at.Received - Wall(publishedAt)).TotalMilliseconds,
                (booking - at.Received).TotalMilliseconds, (at.Written - booking).TotalMilliseconds);
            rows.Add(row);
            csv.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Wall(publishedAt).ToUnixTimeMilliseconds() / 1000.0:F3},{Stopwatch.GetElapsedTime(first, publishedAt).TotalSeconds:F3},{row.EndToEnd:F1},{row.Accept:F1},{row.Book:F1},{row.Record:F1}"));
        }

        // Each payment on the run's timeline: a tail that comes in bursts shows as seconds where every stage is slow at once.
        await File.WriteAllLinesAsync(csvPath, csv);

        results["e2e_stage_payments"] = rows.Count;
        if (rows.Count == 0)
        {
            return;
        }

        var slowest = rows.OrderByDescending(r => r.EndToEnd).Take(Math.Max(1, rows.Count / 100)).ToList();
        foreach (var (name, pick) in new (string, Func<StagesMs, double>)[] { ("accept", r => r.Accept), ("book", r => r.Book), ("record", r => r.Record) })
        {
            var values = rows.Select(pick).ToList();
            results[$"e2e_stage_{name}_p50_ms"] = MeshBench.Percentile(values, 50);
            results[$"e2e_stage_{name}_p99_ms"] = MeshBench.Percentile(values, 99);
            results[$"e2e_stage_{name}_slowest1pct_mean_ms"] = Math.Round(slowest.Average(pick), 1);
        }
    }

    /// <summary>For each payment: when PaymentEvents saved it and when WritebackService saved its booking.</summary>
    private static async Task<Dictionary<string, (DateTimeOffset Received, DateTimeOffset Written)>> SavedAsync(List<string> paymentIds)
    {
        const string sql = """
            select p.data->>'PaymentId', p.timestamp, min(w.timestamp)
            from payments.mt_events p
            join writeback.mt_events w on w.stream_id = p.stream_id and w.type = 'payment_written_back'
            where p.type = 'payment_received' and p.data->>'PaymentId' = any($1)
            group by 1, 2
            """;
        var found = new Dictionary<string, (DateTimeOffset, DateTimeOffset)>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(BenchOptions.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = paymentIds.ToArray() } } };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found[reader.GetString(0)] = (reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2));
        }

        return found;
    }
}
