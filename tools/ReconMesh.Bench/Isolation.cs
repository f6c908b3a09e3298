using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace ReconMesh.Bench;

/// <summary>
/// The bench runs the mesh on the same servers as everything else, but in a RabbitMQ virtual host and a PostgreSQL
/// database of its own, fresh for each run, so that a demo or test run at the same time neither takes its messages
/// (competing consumers on the same queue names) nor shares its relays' leadership, and nothing it leaves behind
/// (a backlog on a queue) reaches anyone else. `prepare` prints the settings as shell exports; `cleanup` removes them.
/// </summary>
internal static class Isolation
{
    /// <summary>The bench's database: <c>reconmesh_bench</c>, or RECONMESH_BENCH_DATABASE (a plain lower-case name) for a run beside another.</summary>
    private static string Database =>
        Environment.GetEnvironmentVariable("RECONMESH_BENCH_DATABASE") is { Length: > 0 } name
            ? System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z_][a-z0-9_]{0,62}$") ? name
                : throw new ArgumentException($"RECONMESH_BENCH_DATABASE '{name}' is not a plain lower-case database name")
            : "reconmesh_bench";

    public static async Task<int> PrepareAsync(BenchOptions o)
    {
        var vhost = o.Get("vhost");
        var rabbit = new UriBuilder(BenchOptions.RabbitMq) { Path = "/" + Uri.EscapeDataString(vhost) };
        if (Management() is { } management)
        {
            using var http = Http(management);
            var user = Uri.UnescapeDataString(management.UserInfo.Split(':')[0]);
            (await http.PutAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}", Json("{}"))).EnsureSuccessStatusCode();
            (await http.PutAsync($"api/permissions/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(user)}",
                Json("{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}"))).EnsureSuccessStatusCode();
            Console.WriteLine($"export ReconMesh__RabbitMq='{rabbit.Uri}'");
        }
        else
        {
            Console.Error.WriteLine("[bench] RECONMESH_RABBITMQ_MANAGEMENT_URL is not set: using the broker's configured virtual host");
        }

        var builder = new NpgsqlConnectionStringBuilder(BenchOptions.Postgres);
        try
        {
            await using (var connection = new NpgsqlConnection(builder.ConnectionString))
            {
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
                await create.ExecuteNonQueryAsync();
            }

            builder.Database = Database;
            Console.WriteLine($"export ReconMesh__Postgres='{builder.ConnectionString}'");
        }
        catch (PostgresException ex)
        {
            Console.Error.WriteLine($"[bench] cannot create database {Database} ({ex.MessageText}): using the configured database");
        }

        return 0;
    }

    public static async Task<int> CleanupAsync(BenchOptions o)
    {
        if (Management() is { } management)
        {
            using var http = Http(management);
            using var response = await http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(o.Get("vhost"))}");
        }

        return 0;
    }

    private static Uri? Management() =>
        Environment.GetEnvironmentVariable("RECONMESH_RABBITMQ_MANAGEMENT_URL") is { Length: > 0 } url ? new Uri(url) : null;

    private static HttpClient Http(Uri management)
    {
        var http = new HttpClient { BaseAddress = new UriBuilder(management) { UserName = "", Password = "" }.Uri, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
