using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.IntegrationTests.RateLimiting;

/// <summary>
/// What the shared limiter tells an operator about an account's budget, from its state in PostgreSQL: the requests in
/// flight (leased slots, across replicas) and how far the pace has run ahead of its steady rate.
/// </summary>
[TestFixture]
public sealed class When_an_operator_reads_an_accounts_budget_use
{
    private TestServers _servers = null!;

    [OneTimeSetUp]
    public async Task Start() => _servers = await TestServers.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _servers.DisposeAsync();

    [Test]
    public async Task Requests_in_flight_and_ahead_of_the_pace_are_counted_and_released()
    {
        // 60 a minute: a burst of 2 ahead of a steady request about every second.
        var limits = new ApiLimits(60, 3);
        var key = $"test:{Guid.NewGuid():N}";
        await using var limiter = new PostgresApiRateLimiter(_servers.Postgres);
        var idle = await limiter.UseAsync(key, limits, CancellationToken.None);

        var first = await limiter.AcquireAsync(key, limits, CancellationToken.None);
        var second = await limiter.AcquireAsync(key, limits, CancellationToken.None);
        var busy = await limiter.UseAsync(key, limits, CancellationToken.None);
        await first.DisposeAsync();
        await second.DisposeAsync();
        var released = await limiter.UseAsync(key, limits, CancellationToken.None);

        Assert.That(idle, Is.EqualTo(new ApiLimitUse(0, 0)), "an account never called takes nothing");
        Assert.That(busy!.InFlight, Is.EqualTo(2));
        Assert.That(busy.AheadOfPace, Is.InRange(1, limits.Burst), "two requests at once run ahead of the pace, within its allowance");
        Assert.That(released!.InFlight, Is.Zero, "finished requests give their slots back");
    }
}
