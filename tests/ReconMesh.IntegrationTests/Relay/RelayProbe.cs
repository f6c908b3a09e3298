using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using JasperFx.Events;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.EventSourcing.Relay.Health;
using ReconMesh.EventSourcing.Store;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.IntegrationTests.Relay;

/// <summary>An event a probe service appends, and the message its relay publishes for it.</summary>
public sealed record ProbeAppended(Guid Id);

public sealed record ProbeRelayed(Guid Id);

/// <summary>
/// What the probe's map does while a test breaks the relay: throws what <see cref="Set"/> gave (null: nothing), or,
/// between <see cref="Hold"/> and <see cref="Release"/>, does not return, like a publish that hangs.
/// </summary>
public sealed class RelayFault : IDisposable
{
    private readonly ManualResetEventSlim _open = new(true);
    private volatile Func<Exception>? _next;

    public void Set(Func<Exception>? fault) => _next = fault;

    public void Hold() => _open.Reset();

    public void Release() => _open.Set();

    public void Dispose() => _open.Dispose();

    public void ThrowIfSet()
    {
        _open.Wait();
        if (_next is { } fault)
        {
            throw fault();
        }
    }
}

public sealed class ProbeMap(RelayFault fault) : IEventMessageMap
{
    public object? ToMessage(IEvent stored)
    {
        fault.ThrowIfSet();
        return stored.Data is ProbeAppended appended ? new ProbeRelayed(appended.Id) : null;
    }
}

public sealed class ProbeInbox
{
    public ConcurrentDictionary<Guid, bool> Received { get; } = new();
}

public sealed class ProbeConsumer(ProbeInbox inbox) : IConsumer<ProbeRelayed>
{
    public Task Consume(ConsumeContext<ProbeRelayed> context)
    {
        inbox.Received[context.Message.Id] = true;
        return Task.CompletedTask;
    }
}

/// <summary>
/// A service made of the shared parts only: an event store with the event relay (and its watcher and readiness check),
/// and a consumer of what it relays, on a real PostgreSQL database and RabbitMQ vhost of its own. The watcher looks
/// every 200 ms, counts 1 s without progress as a stall and retries a restart after 200 ms, doubling to 1 s.
/// </summary>
public sealed class RelayProbe : IAsyncDisposable
{
    private readonly TestServers _servers;
    private readonly HttpClient _http = new();

    private RelayProbe(TestServers servers, WebApplication host)
    {
        _servers = servers;
        Host = host;
    }

    public WebApplication Host { get; }

    public RelayFault Fault => Host.Services.GetRequiredService<RelayFault>();

    public RelayMonitor Monitor => Host.Services.GetRequiredService<RelayMonitor>();

    public static async Task<RelayProbe> StartAsync()
    {
        var servers = await TestServers.StartAsync();
        var host = await InProcessHost.StartAsync(builder =>
        {
            builder.AddServiceDefaults("relay-probe");
            builder.Services.AddSingleton<RelayFault>();
            builder.Services.AddSingleton<ProbeInbox>();
            builder.AddEventStore("relay_probe", o => o.Events.AddEventType<ProbeAppended>()).AddEventRelay<ProbeMap>();
            builder.AddMessaging(bus => bus.AddConsumer<ProbeConsumer>());
            return builder;
        }, app => app.MapDefaultEndpoints(), new Dictionary<string, string?>
        {
            [SettingNames.Postgres] = servers.Postgres,
            [SettingNames.RabbitMq] = servers.RabbitMqUrl,
            [$"{RelayHealthOptions.Section}:{nameof(RelayHealthOptions.PollInterval)}"] = "00:00:00.200",
            [$"{RelayHealthOptions.Section}:{nameof(RelayHealthOptions.StallAfter)}"] = "00:00:01",
            [$"{RelayHealthOptions.Section}:{nameof(RelayHealthOptions.FirstRestartDelay)}"] = "00:00:00.200",
            [$"{RelayHealthOptions.Section}:{nameof(RelayHealthOptions.MaxRestartDelay)}"] = "00:00:01",
        });
        return new RelayProbe(servers, host);
    }

    /// <summary>Appends one event in a stream of its own; returns its id.</summary>
    public async Task<Guid> AppendAsync()
    {
        var id = Guid.NewGuid();
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.StartStream(id, new ProbeAppended(id));
        await session.SaveChangesAsync();
        return id;
    }

    /// <summary>Waits until the consumer has received every one of <paramref name="ids"/>.</summary>
    public Task ReceivedAsync(IReadOnlyCollection<Guid> ids, string what) =>
        Eventually.Until(() => Task.FromResult(ids.Count(Host.Services.GetRequiredService<ProbeInbox>().Received.ContainsKey)),
            n => n == ids.Count, what);

    public async Task<HttpStatusCode> ReadinessAsync()
    {
        using var response = await _http.GetAsync(new Uri(Host.Address(), ServiceDefaultsExtensions.ReadyPath));
        return response.StatusCode;
    }

    /// <summary>A gauge's value in the Prometheus scrape, or NaN when it is not there.</summary>
    public async Task<double> GaugeAsync(string metric)
    {
        var exposition = await _http.GetStringAsync(new Uri(Host.Address(), ServiceDefaultsExtensions.MetricsPath));
        var line = exposition.Split('\n').FirstOrDefault(l =>
            l.StartsWith(metric + " ", StringComparison.Ordinal) || l.StartsWith(metric + "{", StringComparison.Ordinal));
        if (line is null)
        {
            return double.NaN;
        }

        var value = line.Contains('}', StringComparison.Ordinal) ? line[(line.LastIndexOf('}') + 1)..] : line[metric.Length..];
        return double.Parse(value.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Ends every other connection to this test's own database (the daemon's listener, its leadership lock, the pools),
    /// as a database failover does; with <paramref name="refuseNew"/>, also refuses new connections until
    /// <see cref="EndOutageAsync"/>. Other tests' databases on the same server are not touched.
    /// </summary>
    public async Task<int> TerminateDatabaseConnectionsAsync(bool refuseNew = false)
    {
        var database = new NpgsqlConnectionStringBuilder(_servers.Postgres).Database!;
        if (refuseNew)
        {
            await OnServerAsync($"alter database {database} allow_connections false");
        }

        return Convert.ToInt32(await OnServerAsync(
            $"select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = '{database}' and pid <> pg_backend_pid()"),
            CultureInfo.InvariantCulture);
    }

    public async Task EndOutageAsync() =>
        await OnServerAsync($"alter database {new NpgsqlConnectionStringBuilder(_servers.Postgres).Database} allow_connections true");

    /// <summary>Runs a statement from the server's maintenance database, so it works while the test's own refuses connections.</summary>
    private async Task<object?> OnServerAsync(string sql)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(_servers.Postgres) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Host.StopAsync();
        await Host.DisposeAsync();
        await _servers.DisposeAsync();
    }
}
