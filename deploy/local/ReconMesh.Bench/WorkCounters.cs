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
            var management = new Uri(url);
            using var http = new HttpClient { BaseAddress = new UriBuilder(management) { UserName = "", Password = "" }.Uri };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
            var stats = JsonNode.Parse(await http.GetStringAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}"))?["message_stats"];
            counts["bus_publishes"] = stats?["publish"]?.GetValue<double>() ?? 0;
            counts["bus_deliveries"] = stats?["deliver_get"]?.GetValue<double>() ?? 0;
        }

        return counts;
    }

    /// <summary>Each counter's growth per payment booked, as <c>{name}_per_payment</c>.</summary>
    public static void Report(Dictionary<string, double> before, Dictionary<string, double> after, int payments, IDictionary<string, object> results)
    {
        foreach (var (name, value) in after)
        {
            results[$"{name}_per_payment"] = payments == 0 ? 0 : Math.Round((value - before.GetValueOrDefault(name)) / payments, 2);
        }
    }
}
