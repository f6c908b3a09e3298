using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// Databases and virtual hosts of test runs that never cleaned up (a run killed, a database an autovacuum worker held).
/// Each run's names carry the minute it started (reconmesh_test_2612051130_ab12cd34); the first run of a test process
/// removes those older than <see cref="Age"/>, which no test run still uses. Names without a stamp are left alone.
/// </summary>
public static class StaleRuns
{
    private const string Stamp = "yyMMddHHmm";
    private static readonly TimeSpan Age = TimeSpan.FromHours(3);
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static bool _swept;

    public static string NewSuffix() =>
        DateTime.UtcNow.ToString(Stamp, CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];

    public static async Task SweepOnceAsync(string postgres, string managementUrl)
    {
        await Once.WaitAsync();
        try
        {
            if (_swept)
            {
                return;
            }

            _swept = true;
            foreach (var database in await DatabasesAsync(postgres))
            {
                if (IsStale(database["reconmesh_test_".Length..]))
                {
                    await TestServers.DropDatabaseAsync(postgres, database);
                }
            }

            using var client = TestServers.ManagementClient(managementUrl);
            var vhosts = await client.GetFromJsonAsync<List<JsonElement>>("/api/vhosts") ?? [];
            foreach (var vhost in vhosts.Select(v => v.GetProperty("name").GetString()!).Where(n => n.StartsWith("reconmesh-test-", StringComparison.Ordinal)))
            {
                if (IsStale(vhost["reconmesh-test-".Length..]))
                {
                    await TestServers.DeleteVirtualHostAsync(managementUrl, vhost);
                }
            }
        }
        finally
        {
            Once.Release();
        }
    }

    private static bool IsStale(string suffix) =>
        suffix.Length > Stamp.Length && suffix[Stamp.Length] == '_'
        && DateTime.TryParseExact(suffix[..Stamp.Length], Stamp, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var started)
        && DateTime.UtcNow - started > Age;

    private static async Task<List<string>> DatabasesAsync(string postgres)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'reconmesh\\_test\\_%'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
