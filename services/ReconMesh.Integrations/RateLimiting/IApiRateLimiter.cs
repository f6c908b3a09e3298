namespace ReconMesh.Integrations.RateLimiting;

/// <summary>
/// Admits requests to an integration account at no more than its limits, across every replica and every service
/// that calls it: a backlog drains at the limit, never above it.
/// </summary>
public interface IApiRateLimiter
{
    /// <summary>Waits for a slot and for the pace; dispose the lease when the request has finished.</summary>
    ValueTask<IAsyncDisposable> AcquireAsync(string key, ApiLimits limits, CancellationToken cancellationToken);
}
