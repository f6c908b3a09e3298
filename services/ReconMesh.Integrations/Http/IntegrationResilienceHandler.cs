using System.Globalization;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ReconMesh.Contracts;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// The outermost handler of a call to an integration: runs the call's retry and circuit breaker
/// (<see cref="IntegrationResilience"/>), and says what the pipeline itself gave up on in the words callers already
/// read (the adapters' look-after-a-lost-answer, WritebackService's <c>TransientCause</c>): an attempt that timed out as
/// a cancellation whose cause is a timeout (what <see cref="HttpClient"/> says of a request that took too long), and a
/// connection whose circuit is open as an <see cref="HttpRequestException"/> with status 503, not sent.
/// </summary>
public sealed class IntegrationResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline, IntegrationKind kind, TimeSpan attemptTimeout)
    : ResilienceHandler(pipeline)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException timedOut) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TaskCanceledException(
                $"{kind} did not answer within {attemptTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s " +
                $"(setting {IntegrationHttpOptions.Section}:{nameof(IntegrationHttpOptions.AttemptTimeout)})",
                new TimeoutException(timedOut.Message, timedOut));
        }
        catch (BrokenCircuitException open)
        {
            throw new HttpRequestException(
                $"{kind}: the connection's circuit is open after repeated failures; the request was not sent " +
                $"(settings {IntegrationHttpOptions.Section}:CircuitBreaker*)",
                open, HttpStatusCode.ServiceUnavailable);
        }
    }
}
