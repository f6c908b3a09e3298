using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace ReconMesh.Bench;

/// <summary>
/// How much work the servers did, independent of how fast the machine is: PostgreSQL's committed transactions and rows
/// written in the mesh's database (<c>pg_stat_database</c>, flushed by the server about once a second), and the
/// messages published into and delivered out of the bench's virtual host (the management API's totals). Read before
/// and after the max-throughput run and divided by the payments booked, they show the hops and transactions a payment
/// costs, whatever else the machine was doing.
/// </summary>
internal static class WorkCounters
{
    public static async Task<Dictionary<string, double>> SnapshotAsync(string? vhost)
    {
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        var database = new NpgsqlConnectionStringBuilder(BenchOptions.Postgres).Database;
        await using (var connection = new NpgsqlConnection(BenchOptions.Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "select xact_commit, tup_inserted + tup_updated + tup_deleted from pg_stat_database where datname = @db", connection);
            command.Parameters.AddWithValue("db", database ?? "");
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                counts["pg_commits"] = reader.GetInt64(0);
                counts["pg_rows_written"] = reader.GetInt64(1);
            }
        }

        if (vhost is not null && Environment.GetEnvironmentVariable("RECONMESH_RABBITMQ_MANAGEMENT_URL") is { Length: > 0 } url)
        {
            using var http = Management(url);
            var stats = JsonNode.Parse(await http.GetStringAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}"))?["message_stats"];
            counts["bus_publishes"] = stats?["publish"]?.GetValue<double>() ?? 0;
            counts["bus_deliveries"] = stats?["deliver_get"]?.GetValue<double>() ?? 0;
        }

        return counts;
    }

    /// <summary>
    /// RabbitMQ collects its message totals every 5 s by default: totals unchanged for longer than this are complete.
    /// </summary>
    private static readonly TimeSpan StatisticsInterval = TimeSpan.FromSeconds(6);

    /// <summary>
    /// <see cref="SnapshotAsync"/> once the bench's virtual host holds no message and its totals have not moved for
    /// longer than the broker takes to collect them (<paramref name="limit"/> at most). Read the moment the last payment
    /// was booked, they missed what its events still caused and what the broker had not counted yet: deliveries a payment
    /// at 100/s read 4.35-5.23 over runs of the same code (issue #14).
    /// </summary>
    public static async Task<Dictionary<string, double>> SettledSnapshotAsync(string? vhost, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        await WaitForQuietBusAsync(vhost, limit);
        var last = await SnapshotAsync(vhost);
        if (!last.ContainsKey("bus_publishes"))
        {
            return last;
        }

        var still = Stopwatch.StartNew();
        while (still.Elapsed < StatisticsInterval && clock.Elapsed < limit)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = await SnapshotAsync(vhost);
            if (now["bus_publishes"] != last["bus_publishes"] || now["bus_deliveries"] != last["bus_deliveries"])
            {
                still.Restart();
            }

            last = now;
        }

        return last;
    }

    /// <summary>
    /// Waits until no message is left in the bench's virtual host (ready or being consumed) twice in a row, or
    /// <paramref name="limit"/> passes: a phase measured while the previous one's backlog drains would measure that
    /// backlog. Returns how long it waited; zero without the management API.
    /// </summary>
    public static async Task<TimeSpan> WaitForQuietBusAsync(string? vhost, TimeSpan limit)
    {
        if (vhost is not { Length: > 0 } || Environment.GetEnvironmentVariable("RECONMESH_RABBITMQ_MANAGEMENT_URL") is not { Length: > 0 } url)
        {
            return TimeSpan.Zero;
        }

        using var http = Management(url);
        var clock = Stopwatch.StartNew();
        var quiet = 0;
        while (quiet < 2 && clock.Elapsed < limit)
        {
            await Task.Delay(500);
            var host = JsonNode.Parse(await http.GetStringAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}"));
            quiet = (host?["messages"]?.GetValue<double>() ?? 0) == 0 ? quiet + 1 : 0;
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// <c>VACUUM (ANALYZE)</c> of the services' tables in the bench's own database: the upkeep a burst leaves (the max
    /// run's dead rows and statistics), done now rather than by autovacuum in the first seconds of the next measurement,
    /// where it took 0.3-0.7 of the 2 cores (issue #14). Only the tables the bench's role owns (the shared catalogs are
    /// the superuser's). Returns how long it took.
    /// </summary>
    public static async Task<TimeSpan> VacuumAsync()
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(BenchOptions.Postgres);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select format('%I.%I', schemaname, tablename) from pg_tables where tableowner = current_user " +
            "and schemaname not in ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count > 0)
        {
            await using var vacuum = new NpgsqlCommand($"VACUUM (ANALYZE) {string.Join(", ", tables)}", connection) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();
        }

        return clock.Elapsed;
    }

    private static HttpClient Management(string url)
    {
        var management = new Uri(url);
        var http = new HttpClient { BaseAddress = new UriBuilder(management) { UserName = "", Password = "" }.Uri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        return http;
    }

    /// <summary>
    /// The statements the mesh's database ran (pg_stat_statements, loaded by deploy/local/infra.sh; read through the
    /// database the extension lives in, RECONMESH_POSTGRES), by statement: calls and execution time. Empty when the
    /// extension is not there.
    /// </summary>
    public static async Task<Dictionary<long, (long Calls, double Ms, string Query)>> StatementsAsync()
    {
        var statements = new Dictionary<long, (long, double, string)>();
        if (Environment.GetEnvironmentVariable("RECONMESH_POSTGRES") is not { Length: > 0 } home)
        {
            return statements;
        }

        try
        {
            await using var connection = new NpgsqlConnection(home);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "select s.queryid, s.calls, s.total_exec_time, s.query from pg_stat_statements s join pg_database d on d.oid = s.dbid " +
                "where d.datname = @db and s.queryid is not null", connection);
            command.Parameters.AddWithValue("db", new NpgsqlConnectionStringBuilder(BenchOptions.Postgres).Database ?? "");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                statements[reader.GetInt64(0)] = (reader.GetInt64(1), reader.GetDouble(2), reader.GetString(3));
            }
        }
        catch (PostgresException)
        {
            // No pg_stat_statements on this server: the figures above still stand.
        }

        return statements;
    }

    /// <summary>The statements that grew most, per payment booked (or per <paramref name="unit"/>), as a text table (the profile in docs/benchmarks.md).</summary>
    public static async Task WriteStatementsAsync(string path, Dictionary<long, (long Calls, double Ms, string Query)> before,
        Dictionary<long, (long Calls, double Ms, string Query)> after, int payments, string unit = "payment")
    {
        if (after.Count == 0 || payments == 0)
        {
            return;
        }

        var grown = after.Select(kv => (kv.Value.Query,
                Calls: (double)(kv.Value.Calls - (before.TryGetValue(kv.Key, out var b) ? b.Calls : 0)) / payments,
                Ms: (kv.Value.Ms - (before.TryGetValue(kv.Key, out var c) ? c.Ms : 0)) / payments))
            .Where(s => s.Calls > 0).OrderByDescending(s => s.Calls).Take(40).ToList();
        var lines = new List<string>
        {
            $"Statements per {unit} ({payments} {unit}s), most frequent first; total {grown.Sum(s => s.Calls):F2} calls, " +
            $"{grown.Sum(s => s.Ms):F3} ms of execution per {unit} in these.",
            $"calls/{unit}  exec ms/{unit}  statement",
        };
        lines.AddRange(grown.Select(s => $"{s.Calls,13:F3}  {s.Ms,15:F4}  {OneLine(s.Query)}"));
        await File.WriteAllLinesAsync(path, lines);
    }

    private static string OneLine(string query)
    {
        var line = string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length > 180 ? line[..180] + "…" : line;
    }

    /// <summary>Each counter's growth per payment booked (or per <paramref name="unit"/>), as <c>{name}_per_{unit}</c>.</summary>
    public static void Report(Dictionary<string, double> before, Dictionary<string, double> after, int payments, IDictionary<string, object> results,
        string unit = "payment")
    {
        foreach (var (name, value) in after)
        {
            results[$"{name}_per_{unit}"] = payments == 0 ? 0 : Math.Round((value - before.GetValueOrDefault(name)) / payments, 2);
        }
    }
}
