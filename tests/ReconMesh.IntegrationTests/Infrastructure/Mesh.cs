using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.InvoiceIngest;
using ReconMesh.PaymentEvents;
using ReconMesh.Sandbox;
using ReconMesh.WritebackService;

using ReconMesh.Sandbox.QuickBooks;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// The whole mesh for a test fixture, each service composed as in its Program.cs, on a real RabbitMQ and PostgreSQL:
/// first the servers and the sandbox (so the fixture can seed an integration and learn the sandbox's address), then
/// the three services, subscribers first (on a fresh broker a queue receives only what is published after it is
/// bound). The one place where test fixtures start and stop ReconMesh.
/// </summary>
public sealed class Mesh : IAsyncDisposable
{
    private readonly List<WebApplication> _hosts = [];
    private Dictionary<string, string?> _writebackSettings = [];
    private Dictionary<string, string?> _invoiceIngestSettings = [];
    private ConcurrentQueue<string>? _logs;

    private Mesh(TestServers servers, WebApplication sandbox)
    {
        Servers = servers;
        SandboxHost = sandbox;
        _hosts.Add(sandbox);
        Common = new Dictionary<string, string?>
        {
            ["ReconMesh:RabbitMq"] = servers.RabbitMqUrl, ["ReconMesh:Postgres"] = servers.Postgres,
            // A report that never matches a payment is refused after this wait instead of production's half minute.
            ["ReconMesh:Platform:PaymentWait"] = "00:00:02",
            // WritebackService's scheduled disagreement check stays off unless a test turns it on.
            ["ReconMesh:Writeback:DisagreementCheck:Interval"] = "00:00:00",
        };
        Sandbox = new HttpClient { BaseAddress = sandbox.Address() };
    }

    public TestServers Servers { get; }

    /// <summary>The settings every service gets: the broker and the database.</summary>
    public IReadOnlyDictionary<string, string?> Common { get; }

    public WebApplication SandboxHost { get; }

    /// <summary>The sandbox's HTTP API (simulators, their admin API, the platform simulator).</summary>
    public HttpClient Sandbox { get; }

    /// <summary>Publishes as the payment platform does.</summary>
    public IBus PlatformBus => SandboxHost.Services.GetRequiredService<IBus>();

    public WebApplication PaymentEvents { get; private set; } = null!;

    public WebApplication Writeback { get; private set; } = null!;

    public WebApplication InvoiceIngest { get; private set; } = null!;

    public static async Task<Mesh> StartSandboxAsync()
    {
        var servers = await TestServers.StartAsync();
        try
        {
            var common = new Dictionary<string, string?> { ["ReconMesh:RabbitMq"] = servers.RabbitMqUrl, ["ReconMesh:Postgres"] = servers.Postgres };
            // Companies without QuickBooks' request budget unless a test gives one (see QuickBooksConnection).
            var sandbox = new Dictionary<string, string?>(common)
            {
                [$"{QuickBooksSimulatorOptions.SectionName}:RequestsPerMinute"] = "0",
                [$"{QuickBooksSimulatorOptions.SectionName}:MaxConcurrent"] = "0",
            };
            return new Mesh(servers, await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), sandbox));
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts PaymentEvents, WritebackService and InvoiceIngest, the last two serving <paramref name="connection"/>.</summary>
    public async Task StartServicesAsync(
        IReadOnlyDictionary<string, string?> connection,
        IReadOnlyDictionary<string, string?>? paymentEventsSettings = null,
        IReadOnlyDictionary<string, string?>? invoiceIngestSettings = null,
        ICollection<Activity>? spans = null,
        ConcurrentQueue<string>? logs = null,
        IReadOnlyDictionary<string, string?>? writebackSettings = null)
    {
        var withConnection = Merge(Common, connection);
        PaymentEvents = await StartAsync(b => b.AddPaymentEvents(), a => a.MapPaymentEvents(), Merge(Common, paymentEventsSettings), spans, logs);
        _writebackSettings = Merge(withConnection, writebackSettings);
        _logs = logs;
        Writeback = await StartAsync(b => b.AddWritebackService(), a => a.MapWritebackService(), _writebackSettings, null, logs);
        _invoiceIngestSettings = Merge(withConnection, invoiceIngestSettings);
        InvoiceIngest = await StartAsync(b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), _invoiceIngestSettings, null, logs);
    }

    /// <summary>
    /// The settings of a QuickBooks Online connection (index 0) to a company of the sandbox. Its request budget is off
    /// (as in <c>./run bench</c>): the sandbox's company has no limit unless a test sets one, and a scenario's rules are the
    /// point here, not QuickBooks' 500 requests a minute, which would make a month of payments wait two minutes for its
    /// budget. The limiter itself is proven by the RateLimiting tests, and <c>./run bench</c> measures a company at the real limits.
    /// </summary>
    public Dictionary<string, string?> QuickBooksConnection(Guid id, string tenant, string realm, string token, string pollInterval,
        string? depositAccountId = null) => new()
    {
        ["ReconMesh:Connections:0:RequestsPerMinute"] = "0",
        ["ReconMesh:Connections:0:MaxConcurrent"] = "0",
        ["ReconMesh:Connections:0:Id"] = id.ToString(),
        ["ReconMesh:Connections:0:TenantId"] = tenant,
        ["ReconMesh:Connections:0:Kind"] = "QuickBooksOnline",
        ["ReconMesh:Connections:0:BaseUrl"] = SandboxHost.Address().ToString(),
        ["ReconMesh:Connections:0:RealmId"] = realm,
        ["ReconMesh:Connections:0:AccessToken"] = token,
        ["ReconMesh:Connections:0:PollInterval"] = pollInterval,
        ["ReconMesh:Connections:0:DepositAccountId"] = depositAccountId,
    };

    /// <summary>
    /// Stops WritebackService as a deployment would (what it holds in memory is gone), runs <paramref name="whileStopped"/>,
    /// and starts it again with the same settings, at a new address (<see cref="Writeback"/>).
    /// </summary>
    public async Task RestartWritebackAsync(Func<Task>? whileStopped = null) =>
        Writeback = await RestartAsync(Writeback, whileStopped, b => b.AddWritebackService(), a => a.MapWritebackService(), _writebackSettings);

    /// <summary>As <see cref="RestartWritebackAsync"/>, for InvoiceIngest (<see cref="InvoiceIngest"/>).</summary>
    public async Task RestartInvoiceIngestAsync(Func<Task>? whileStopped = null) =>
        InvoiceIngest = await RestartAsync(InvoiceIngest, whileStopped, b => b.AddInvoiceIngest(), a => a.MapInvoiceIngest(), _invoiceIngestSettings);

    private async Task<WebApplication> RestartAsync(WebApplication running, Func<Task>? whileStopped,
        Func<WebApplicationBuilder, WebApplicationBuilder> add, Func<WebApplication, WebApplication> map, IReadOnlyDictionary<string, string?> settings)
    {
        _hosts.Remove(running);
        await running.StopAsync();
        await running.DisposeAsync();
        if (whileStopped is not null)
        {
            await whileStopped();
        }

        return await StartAsync(add, map, settings, null, _logs);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }

        Sandbox.Dispose();
        await Servers.DisposeAsync();
    }

    private async Task<WebApplication> StartAsync(Func<WebApplicationBuilder, WebApplicationBuilder> add, Func<WebApplication, WebApplication> map,
        IReadOnlyDictionary<string, string?> settings, ICollection<Activity>? spans, ConcurrentQueue<string>? logs)
    {
        var host = await InProcessHost.StartAsync(add, map, settings, spans, logs);
        _hosts.Add(host);
        return host;
    }

    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?> first, IReadOnlyDictionary<string, string?>? second)
    {
        var merged = new Dictionary<string, string?>(first);
        foreach (var (key, value) in second ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        return merged;
    }
}
