namespace ReconMesh.Integrations.RateLimiting;

/// <summary>
/// Admits each attempt of a call to an integration through the shared rate limiter (<see cref="IApiRateLimiter"/>),
/// so that no replica or service pushes the account over its limits; the slot is held until the answer has been read.
/// Inside the retry, so every attempt is counted, and outside the attempt's timeout, so waiting for the pace is not
/// taken for an integration that does not answer.
/// </summary>
public sealed class IntegrationRateLimitHandler(IApiRateLimiter limiter, string limitKey, ApiLimits limits) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await using (await limiter.AcquireAsync(limitKey, limits, cancellationToken))
        {
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
