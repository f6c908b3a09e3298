using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// What the integration pipeline (<see cref="IntegrationResilience"/>) repeats and what it counts against a
/// connection's circuit. Repeated: a call that may be repeated (<see cref="IdempotentRequests"/>) whose attempt was
/// throttled (429), met a server error (500, 502, 503, 504), got no answer in time or lost its connection; never a
/// refusal (<see cref="IntegrationRefusedException"/>), a caller's cancellation, or a throttled answer whose
/// <c>Retry-After</c> is longer than the slot waits. Counted against the circuit: the same failures, throttling aside.
/// </summary>
public static class IntegrationRetryRules
{
    public static bool IsRetriedStatus(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>An attempt that ended without an answer for a cause of the integration's or the network's, not the caller's.</summary>
    public static bool IsLostAttempt(Exception? failure, CancellationToken caller) =>
        failure is HttpRequestException or TimeoutRejectedException
        || (failure is OperationCanceledException && !caller.IsCancellationRequested);

    public static ValueTask<bool> ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args, TimeSpan maxWait, TimeProvider time)
    {
        if (args.Context.GetRequestMessage() is not { } request || !IdempotentRequests.IsReplayable(request))
        {
            return ValueTask.FromResult(false);
        }

        var outcome = args.Outcome;
        var retry = outcome.Result is { } response
            ? IsRetriedStatus(response.StatusCode) && !(RetryAfter(response, time) > maxWait)
            : IsLostAttempt(outcome.Exception, args.Context.CancellationToken);
        return ValueTask.FromResult(retry);
    }

    public static ValueTask<bool> ShouldBreak(CircuitBreakerPredicateArguments<HttpResponseMessage> args)
    {
        var outcome = args.Outcome;
        var failed = outcome.Result is { } response
            ? response.StatusCode != HttpStatusCode.TooManyRequests && IsRetriedStatus(response.StatusCode)
            : IsLostAttempt(outcome.Exception, args.Context.CancellationToken);
        return ValueTask.FromResult(failed);
    }

    /// <summary>How long the answer asks to wait (<c>Retry-After</c>, seconds or a date), or null when it does not say.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(time);
        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => null,
        };
    }
}
