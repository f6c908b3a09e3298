namespace ReconMesh.Integrations.RateLimiting;

/// <summary>
/// Admits requests to an integration account at no more than its limits, across every replica and every service
/// that calls it: a backlog drains at the limit, never above it.
/// </summary>
public interface IApiRateLimiter
{
    /// <summary>Waits for a slot and for the pace; dispose the lease when the request has finished.</summary>
    ValueTask<IAsyncDisposable> AcquireAsync(string key, ApiLimits limits, CancellationToken cancellationToken);

    /// <summary>How much of the account's budget is taken right now, or null where the limiter keeps no shared state to tell.</summary>
    ValueTask<ApiLimitUse?> UseAsync(string key, ApiLimits limits, CancellationToken cancellationToken) => ValueTask.FromResult<ApiLimitUse?>(null);
}

/// <summary>
/// An account's budget as taken right now: requests in flight (leased slots), and how many requests the pace has run
/// ahead of its steady rate (0 when idle, up to <see cref="ApiLimits.Burst"/> at the limit, when callers wait).
/// </summary>
public sealed record ApiLimitUse(int InFlight, int AheadOfPace);
