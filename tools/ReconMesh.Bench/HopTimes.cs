using System.Globalization;
using System.Text.RegularExpressions;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.Bench;

/// <summary>
/// The "book" stage of <see cref="LatencyStages"/> taken apart by the services' own histograms (their <c>/metrics</c>,
/// read before and after the fixed-rate run, the difference kept): for each hop, how many times it was timed, the mean
/// (exact: the histogram's sum over its count) and the bucket bound the median and the 99th percentile fall under.
/// <list type="bullet">
/// <item><c>accept_delivery</c>: PaymentProcessed, from the bench's publish until PaymentEvents' batch takes it;</item>
/// <item><c>accept_batch</c>: PaymentEvents' batch of PaymentProcessed, consumed (its read, decisions and append);</item>
/// <item><c>relay_delivery</c>: PaymentAccepted, from PaymentEvents' relay publishing it until WritebackService's batch takes it;</item>
/// <item><c>book_in_batch</c>: each PaymentAccepted from its receipt until its batch is done (the batch's window, then its work);</item>
/// <item><c>book_batch</c>: WritebackService's batch of PaymentAccepted, consumed (reconciliations, writes, records);</item>
/// <item><c>qbo_post</c>: each POST to QuickBooks (the sandbox), as WritebackService timed it.</item>
/// </list>
/// What is left of "book" once the relay's delivery and the batch are taken out is PaymentEvents' relay noticing the append.
/// </summary>
internal sealed partial class HopTimes(string paymentEventsUrl, string writebackUrl)
{
    private static readonly (string Hop, string Service, string Metric, string[] Labels)[] Hops =
    [
        ("accept_delivery", "pe", "messaging_masstransit_delivery_duration_milliseconds", ["message_type=\"PaymentProcessed\""]),
        ("accept_batch", "pe", "messaging_masstransit_consume_duration_milliseconds", ["message_type=\"Batch_PaymentProcessed\""]),
        ("relay_delivery", "wb", "messaging_masstransit_delivery_duration_milliseconds", ["message_type=\"PaymentAccepted\""]),
        ("book_in_batch", "wb", "messaging_masstransit_consume_duration_milliseconds", ["message_type=\"PaymentAccepted\""]),
        ("book_batch", "wb", "messaging_masstransit_consume_duration_milliseconds", ["message_type=\"Batch_PaymentAccepted\""]),
        ("qbo_post", "wb", "reconmesh_integration_request_duration_seconds", ["integration=\"qbo\"", "method=\"POST\""]),
    ];

    private Dictionary<string, Histogram>? _before;

    /// <summary>One histogram as scraped: cumulative counts by upper bound, the sum and the count.</summary>
    private sealed record Histogram(SortedDictionary<double, double> Buckets, double Sum, double Count);

    public async Task StartAsync() => _before = await ScrapeAsync();

    /// <summary>Adds <c>hop_{hop}_{count,mean_ms,p50_le_ms,p99_le_ms}</c> for the time since <see cref="StartAsync"/>.</summary>
    public async Task ReportAsync(IDictionary<string, object> results)
    {
        var after = await ScrapeAsync();
        foreach (var (hop, _, metric, _) in Hops)
        {
            if (!after.TryGetValue(hop, out var end))
            {
                continue;
            }

            var start = _before?.GetValueOrDefault(hop);
            var count = end.Count - (start?.Count ?? 0);
            if (count <= 0)
            {
                continue;
            }

            // A histogram in seconds is reported in milliseconds like the others.
            var scale = metric.EndsWith("_seconds", StringComparison.Ordinal) ? 1000.0 : 1.0;
            var buckets = end.Buckets.ToDictionary(b => b.Key, b => b.Value - (start?.Buckets.GetValueOrDefault(b.Key) ?? 0));
            results[$"hop_{hop}_count"] = count;
            results[$"hop_{hop}_mean_ms"] = Math.Round((end.Sum - (start?.Sum ?? 0)) * scale / count, 2);
            results[$"hop_{hop}_p50_le_ms"] = Bound(buckets, count * 0.50) * scale;
            results[$"hop_{hop}_p99_le_ms"] = Bound(buckets, count * 0.99) * scale;
        }
    }

    /// <summary>The smallest bucket bound under which at least <paramref name="rank"/> observations fall (+Inf as -1).</summary>
    private static double Bound(Dictionary<double, double> cumulative, double rank) =>
        cumulative.OrderBy(b => b.Key).FirstOrDefault(b => b.Value >= rank) is { Key: var bound } && !double.IsPositiveInfinity(bound) ? bound : -1;

    private async Task<Dictionary<string, Histogram>> ScrapeAsync()
    {
        using var key = LocalSigningKey.LoadOrCreate();
        var token = key.Mint("bench", [], [AccessRoles.Metrics], TimeSpan.FromMinutes(10));
        var pages = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (service, url) in new[] { ("pe", paymentEventsUrl), ("wb", writebackUrl) })
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            pages[service] = await http.GetStringAsync("/metrics");
        }

        var found = new Dictionary<string, Histogram>(StringComparer.Ordinal);
        foreach (var (hop, service, metric, labels) in Hops)
        {
            var buckets = new SortedDictionary<double, double>();
            double sum = 0, count = 0;
            foreach (var line in pages[service].Split('\n'))
            {
                if (!line.StartsWith(metric, StringComparison.Ordinal) || !labels.All(l => line.Contains(l, StringComparison.Ordinal))
                    || Sample().Match(line) is not { Success: true } sample)
                {
                    continue;
                }

                var value = double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
                switch (sample.Groups["part"].Value)
                {
                    case "_bucket" when Le().Match(line) is { Success: true } le:
                        var bound = le.Groups[1].Value == "+Inf" ? double.PositiveInfinity : double.Parse(le.Groups[1].Value, CultureInfo.InvariantCulture);
                        buckets[bound] = buckets.GetValueOrDefault(bound) + value;
                        break;
                    case "_sum":
                        sum += value;
                        break;
                    case "_count":
                        count += value;
                        break;
                }
            }

            if (count > 0)
            {
                found[hop] = new Histogram(buckets, sum, count);
            }
        }

        return found;
    }

    [GeneratedRegex(@"^[a-z_]+?(?<part>_bucket|_sum|_count)\{.*\} (?<value>[0-9.eE+-]+)")]
    private static partial Regex Sample();

    [GeneratedRegex(@"le=""([^""]+)""")]
    private static partial Regex Le();
}
