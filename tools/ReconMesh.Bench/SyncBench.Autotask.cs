using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReconMesh.Bench;

/// <summary>
/// The Autotask part of the initial-sync bench (issue 19): a database at Autotask's own limits (10,000 requests an hour
/// shared by every integration, latency from half of it, a block at all of it, 3 calls at once per object endpoint),
/// 20,000 open invoices and 1,000 paid or voided ones spread among them, two contacts per company. InvoiceIngest keeps
/// to the share of the hour it claims (20% unless the connection says otherwise: 2,000 an hour), so this part reports
/// its requests against that share as well as its pace, and the simulator's delayed and refused calls.
/// </summary>
internal static partial class SyncBench
{
    /// <summary>Autotask's hourly threshold per database, and the share ReconMesh claims of it by default (ApiLimits).</summary>
    private const int AutotaskPerHour = 10_000, AutotaskSharePercent = 20;

    /// <summary>Companies per seeded chunk and invoices per company (chunks of 1,000 open invoices).</summary>
    private const int AutotaskCompaniesPerChunk = 100, AutotaskInvoicesPerCompany = 10;

    /// <summary>
    /// <c>sync-setup-autotask</c>: the database and its API user (the bench's names), seeded through the admin API (not
    /// counted as API calls): per 1,000 open invoices a chunk of closed ones (half voided, half paid) after them, so the
    /// closed ones lie among the open ones in id order, as a real database's would.
    /// </summary>
    public static async Task<int> SetupAutotaskAsync(BenchOptions o)
    {
        using var http = new HttpClient { BaseAddress = new Uri(o.Get("sandbox")), Timeout = TimeSpan.FromMinutes(5) };
        var open = o.Int("invoices", 20_000);
        var closed = o.Int("closed", 1_000);
        var chunks = (open + AutotaskCompaniesPerChunk * AutotaskInvoicesPerCompany - 1) / (AutotaskCompaniesPerChunk * AutotaskInvoicesPerCompany);
        if (open % (AutotaskCompaniesPerChunk * AutotaskInvoicesPerCompany) != 0 || closed % (chunks * AutotaskInvoicesPerCompany) != 0)
        {
            throw new ArgumentException($"--invoices must be a multiple of 1,000 and --closed of {chunks * AutotaskInvoicesPerCompany} (10 per company, spread over {chunks} chunks)");
        }

        var clock = Stopwatch.StartNew();
        var database = o.Get("autotask-db");
        await EnsureAsync(await http.PostAsJsonAsync("/admin/autotask/databases", new
        {
            databaseId = database, userName = o.Get("autotask-user"), secret = o.Get("autotask-secret"), integrationCode = o.Get("autotask-code"),
            requestsPerHour = AutotaskPerHour, threadsPerEndpoint = 3,
        }, Json));
        var closedCompanies = closed / chunks / AutotaskInvoicesPerCompany;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            await EnsureAsync(await http.PostAsJsonAsync($"/admin/autotask/databases/{database}/seed", new
            {
                seed = 30 + (2 * chunk), companies = AutotaskCompaniesPerChunk, invoicesPerCompany = AutotaskInvoicesPerCompany, paidRate = 0, voidedRate = 0,
            }, Json));
            if (closedCompanies > 0)
            {
                // Every invoice of these companies is closed: voided below half of the draw, paid above it.
                await EnsureAsync(await http.PostAsJsonAsync($"/admin/autotask/databases/{database}/seed", new
                {
                    seed = 31 + (2 * chunk), companies = closedCompanies, invoicesPerCompany = AutotaskInvoicesPerCompany, paidRate = 0.5, voidedRate = 0.5,
                }, Json));
            }
        }

        Console.WriteLine($"[bench] Autotask database {database}: {open} open and {closed} paid or voided invoices, limits {AutotaskPerHour}/hour shared, " +
            $"3 at once per endpoint, ReconMesh's share {AutotaskSharePercent}% ({clock.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }

    /// <summary>
    /// The Autotask figures beyond the common ones: the pace against the claimed share (requests an hour at the sync's
    /// pace, and the share of the claim that is), the hour's use the simulator counted, and its delayed and refused calls.
    /// </summary>
    private static async Task AutotaskFiguresAsync(HttpClient sandbox, string books, Dictionary<string, object> results, long requests, double? storeSeconds)
    {
        using var doc = JsonDocument.Parse(await sandbox.GetStringAsync(books));
        var root = doc.RootElement;
        var claimed = AutotaskPerHour * AutotaskSharePercent / 100;
        var perHour = Math.Round(requests / ((storeSeconds ?? double.PositiveInfinity) / 3600.0), 0);
        results["sync_autotask_claimed_requests_per_hour"] = claimed;
        results["sync_autotask_requests_per_hour"] = perHour;
        results["sync_autotask_share_of_claim"] = Math.Round(perHour / claimed, 3);
        results["sync_autotask_used_this_hour_at_end"] = root.GetProperty("usedThisHour").GetInt64();
        results["sync_autotask_delayed"] = root.GetProperty("delayed").GetInt64();
        results["sync_autotask_threshold_blocked"] = root.GetProperty("thresholdBlocked").GetInt64();
        results["sync_autotask_thread_limited"] = root.GetProperty("threadLimited").GetInt64();
        Console.WriteLine($"[bench] autotask: {perHour} requests/hour at the sync's pace against the {claimed} claimed; " +
            $"simulator: {root.GetProperty("usedThisHour").GetInt64()} used this hour, {root.GetProperty("delayed").GetInt64()} delayed, " +
            $"{root.GetProperty("thresholdBlocked").GetInt64()} blocked, {root.GetProperty("threadLimited").GetInt64()} thread-limited");
    }

    /// <summary>A closed Autotask invoice: voided, or with a paid date.</summary>
    private static bool AutotaskClosed(JsonElement invoice) =>
        invoice.GetProperty("isVoided").GetBoolean() || invoice.GetProperty("paidDate").ValueKind != JsonValueKind.Null;
}
