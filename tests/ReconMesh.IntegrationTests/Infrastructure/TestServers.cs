using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// A real RabbitMQ and a real PostgreSQL for integration tests: the servers named by RECONMESH_RABBITMQ_URL and
/// RECONMESH_POSTGRES when set (as ./run test does, on machines without Docker), Testcontainers otherwise.
/// Each test run gets its own virtual host and database, so durable queues and streams of earlier runs cannot
/// interfere, and they are removed afterwards.
/// </summary>
public sealed class TestServers : IAsyncDisposable
{
    private readonly Func<ValueTask> _cleanup;

    private TestServers(string rabbitMqUrl, string postgres, Func<ValueTask> cleanup)
    {
        RabbitMqUrl = rabbitMqUrl;
        Postgres = postgres;
        _cleanup = cleanup;
    }

    public string RabbitMqUrl { get; }

    public string Postgres { get; }

    public static async Task<TestServers> StartAsync()
    {
        var rabbit = Environment.GetEnvironmentVariable("RECONMESH_RABBITMQ_URL");
        var postgres = Environment.GetEnvironmentVariable("RECONMESH_POSTGRES");
        if (!string.IsNullOrWhiteSpace(rabbit) && !string.IsNullOrWhiteSpace(postgres))
        {
            var management = Environment.GetEnvironmentVariable("RECONMESH_RABBITMQ_MANAGEMENT_URL") ?? "http://guest:guest@127.0.0.1:15672/";
            await StaleRuns.SweepOnceAsync(postgres, management);
            var suffix = StaleRuns.NewSuffix();
            var vhost = $"reconmesh-test-{suffix}";
            await CreateVirtualHostAsync(management, vhost, new Uri(rabbit).UserInfo.Split(':')[0]);
            var database = $"reconmesh_test_{suffix}";
            await ExecuteAsync(postgres, $"CREATE DATABASE {database}");
            var builder = new NpgsqlConnectionStringBuilder(postgres) { Database = database };
            var rabbitInVhost = new UriBuilder(rabbit) { Path = "/" + Uri.EscapeDataString(vhost) }.Uri.ToString();
            return new TestServers(rabbitInVhost, builder.ConnectionString, async () =>
            {
                NpgsqlConnection.ClearAllPools();
                await DeleteVirtualHostAsync(management, vhost);
                await DropDatabaseAsync(postgres, database);
            });
        }

        // Docker available: throwaway containers. Without Docker, Build() throws DockerUnavailableException at once.
        RabbitMqContainer rabbitContainer;
        PostgreSqlContainer postgresContainer;
        try
        {
            rabbitContainer = new RabbitMqBuilder("rabbitmq:3.13-management").Build();
            postgresContainer = new PostgreSqlBuilder("postgres:16").Build();
        }
        catch (DotNet.Testcontainers.Builders.DockerUnavailableException ex)
        {
            throw new InvalidOperationException(
                "Integration tests need RabbitMQ and PostgreSQL: run them with ./run test (which starts both), or set " +
                "RECONMESH_RABBITMQ_URL, RECONMESH_POSTGRES and RECONMESH_RABBITMQ_MANAGEMENT_URL, or start a Docker engine.", ex);
        }

        await Task.WhenAll(rabbitContainer.StartAsync(), postgresContainer.StartAsync());
        return new TestServers(rabbitContainer.GetConnectionString(), postgresContainer.GetConnectionString(), async () =>
        {
            await rabbitContainer.DisposeAsync();
            await postgresContainer.DisposeAsync();
        });
    }

    public ValueTask DisposeAsync() => _cleanup();

    /// <summary>
    /// Removes the run's database. A backend of another role (an autovacuum worker) can briefly hold it, which FORCE may
    /// not end for a non-superuser: retried, and if it still stands, left behind (named reconmesh_test_*) rather than failing the
    /// tests that already passed.
    /// </summary>
    internal static async Task DropDatabaseAsync(string postgres, string database)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is "42501" or "55006")
            {
                if (attempt == 10)
                {
                    TestContext.Progress.WriteLine($"Test database {database} left behind: {ex.MessageText}");
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    internal static HttpClient ManagementClient(string managementUrl)
    {
        var uri = new Uri(managementUrl);
        var client = new HttpClient { BaseAddress = new Uri(uri.GetLeftPart(UriPartial.Authority)) };
        var credentials = Uri.UnescapeDataString(uri.UserInfo);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return client;
    }

    private static async Task CreateVirtualHostAsync(string managementUrl, string vhost, string user)
    {
        using var client = ManagementClient(managementUrl);
        (await client.PutAsync($"/api/vhosts/{Uri.EscapeDataString(vhost)}", null)).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync($"/api/permissions/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    internal static async Task DeleteVirtualHostAsync(string managementUrl, string vhost)
    {
        using var client = ManagementClient(managementUrl);
        await client.DeleteAsync($"/api/vhosts/{Uri.EscapeDataString(vhost)}");
    }
}
