using System.Collections.Concurrent;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using ReconMesh.Contracts;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// The handlers every call to an integration passes, outermost first, built on Microsoft.Extensions.Http.Resilience:
/// <list type="number">
/// <item><see cref="IntegrationResilienceHandler"/>: the retry (only calls that may be repeated,
/// <see cref="IdempotentRequests"/>; exponential back-off with jitter, or the answer's <c>Retry-After</c>, see
/// <see cref="IntegrationRetryRules"/>) around the connection's circuit breaker, one per connection, kept for the process;</item>
/// <item><see cref="IntegrationRateLimitHandler"/>: each attempt admitted by the shared rate limiter of the account;</item>
/// <item>the attempt's timeout, counted once admitted;</item>
/// <item><see cref="IntegrationMetricsHandler"/>: each attempt counted and timed;</item>
/// <item>the integration kind's named client (<see cref="IntegrationHttpPipeline"/>): the answer guard and the socket handler that checks addresses.</item>
/// </list>
/// Settings: <see cref="IntegrationHttpOptions"/>.
/// </summary>
public sealed class IntegrationResilience(IApiRateLimiter limiter, IOptions<IntegrationHttpOptions> options, TimeProvider time)
{
    private readonly IntegrationHttpOptions _options = options.Value;
    private readonly ConcurrentDictionary<Guid, ResiliencePipeline<HttpResponseMessage>> _calls = new();
    private ResiliencePipeline<HttpResponseMessage>? _attempt;

    /// <param name="connection">Whose circuit the calls count against.</param>
    /// <param name="kind">The integration, as the caller's errors name it.</param>
    /// <param name="limitKey">The rate limiter's account key; its prefix (e.g. "qbo") tags the metrics.</param>
    /// <param name="limits">The account's limits.</param>
    /// <param name="transport">The named client's handler (<see cref="IHttpMessageHandlerFactory.CreateHandler(string)"/>), not disposed with the chain's owner.</param>
    public HttpMessageHandler Create(Guid connection, IntegrationKind kind, string limitKey, ApiLimits limits, HttpMessageHandler transport)
    {
        ArgumentNullException.ThrowIfNull(limitKey);
        return new IntegrationResilienceHandler(_calls.GetOrAdd(connection, _ => BuildCall()), kind, _options.AttemptTimeout)
        {
            InnerHandler = new IntegrationRateLimitHandler(limiter, limitKey, limits)
            {
                InnerHandler = new ResilienceHandler(_attempt ??= BuildAttempt())
                {
                    InnerHandler = new IntegrationMetricsHandler(limitKey.Split(':')[0]) { InnerHandler = transport },
                },
            },
        };
    }

    private ResiliencePipeline<HttpResponseMessage> BuildCall()
    {
        var o = _options;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new HttpRetryStrategyOptions
            {
                // Retry-After is read by the library (ShouldRetryAfterHeader); one longer than MaxWait is not retried here.
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => IntegrationRetryRules.ShouldRetry(args, o.MaxWait, time),
                MaxRetryAttempts = o.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                MaxDelay = o.MaxWait,
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                ShouldHandle = IntegrationRetryRules.ShouldBreak,
                FailureRatio = o.CircuitBreakerFailureRatio,
                MinimumThroughput = o.CircuitBreakerMinimumThroughput,
                SamplingDuration = o.CircuitBreakerSamplingDuration,
                BreakDuration = o.CircuitBreakerBreakDuration,
            })
            .Build();
    }

    private ResiliencePipeline<HttpResponseMessage> BuildAttempt() =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = _options.AttemptTimeout })
            .Build();
}
