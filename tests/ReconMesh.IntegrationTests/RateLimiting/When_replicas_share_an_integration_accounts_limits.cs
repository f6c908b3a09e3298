using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReconMesh.Contracts;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.QuickBooks;
using ReconMesh.Sandbox;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.IntegrationTests.RateLimiting;

/// <summary>
/// The limiter's state is in PostgreSQL, so two replicas (two limiter instances, two HTTP client factories) calling
/// one QuickBooks company together still keep to its limits, measured by the sandbox enforcing them.
/// </summary>
[TestFixture]
public sealed class When_replicas_share_an_integration_accounts_limits
{
    private const string Realm = "9130000000000888";
    private TestServers _servers = null!;
    private WebApplication _sandbox = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _sandbox = await InProcessHost.StartAsync(b => b.AddSandbox(), a => a.MapSandbox(), new Dictionary<string, string?>());
        _admin = new HttpClient { BaseAddress = _sandbox.Address() };
        (await _admin.PostAsJsonAsync("/admin/qbo/companies",
            new { realmId = Realm, accessToken = "limits-token", requestsPerMinute = 0, maxConcurrent = 2 })).EnsureSuccessStatusCode();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _admin.Dispose();
        await _sandbox.StopAsync();
        await _sandbox.DisposeAsync();
        await _servers.DisposeAsync();
    }

    [Test]
    public async Task Should_never_exceed_the_companys_concurrency()
    {
        var connection = new ConnectionSettings
        {
            Id = Guid.NewGuid(), TenantId = "limits", Kind = IntegrationKind.QuickBooksOnline, BaseUrl = _sandbox.Address(),
            RealmId = Realm, AccessToken = "limits-token", Limits = new ApiLimits(0, 2),
        };
        await using var replicaA = Replica(out var clientsA);
        await using var replicaB = Replica(out var clientsB);
        var apiA = clientsA.Create(connection);
        var apiB = clientsB.Create(connection);

        var calls = Enumerable.Range(0, 40)
            .Select(i => (i % 2 == 0 ? apiA : apiB).QueryAsync(Realm, "select count(*) from Invoice"));
        var answers = await Task.WhenAll(calls);

        var books = await _admin.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{Realm}/books");
        Assert.That(answers.Select(a => a.QueryResponse?.TotalCount), Has.All.EqualTo(0));
        Assert.That(books.GetProperty("throttledCount").GetInt32(), Is.Zero, "no request may find both of the company's slots taken");
        Assert.That(books.GetProperty("requestCount").GetInt32(), Is.EqualTo(40));
    }

    [Test]
    public async Task Should_admit_a_burst_then_hold_the_pace()
    {
        var limits = new ApiLimits(RequestsPerMinute: 50, MaxConcurrent: 0);
        await using var limiter = new PostgresApiRateLimiter(_servers.Postgres);
        var key = $"test:{Guid.NewGuid():N}";
        for (var i = 0; i <= limits.Burst; i++)
        {
            await using (await limiter.AcquireAsync(key, limits, CancellationToken.None))
            {
            }
        }

        // The limiter has admitted its burst: the next request must wait about one interval, not pass.
        await using var db = NpgsqlDataSource.Create(_servers.Postgres);
        await using var command = db.CreateCommand($"select {PostgresApiRateLimiter.Schema}.take(@key, @interval, @tolerance)");
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("interval", limits.Interval);
        command.Parameters.AddWithValue("tolerance", limits.Interval * limits.Burst);
        var wait = (TimeSpan)(await command.ExecuteScalarAsync())!;

        Assert.That(wait, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(limits.Interval));
    }

    private ServiceProvider Replica(out QuickBooksClientFactory clients)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(QuickBooksClientFactory.HttpClientName);
        services.AddSingleton<IApiRateLimiter>(new PostgresApiRateLimiter(_servers.Postgres));
        services.AddIntegrationResilience();
        services.AddSingleton<QuickBooksClientFactory>();
        var provider = services.BuildServiceProvider();
        clients = provider.GetRequiredService<QuickBooksClientFactory>();
        return provider;
    }
}
