using System.Diagnostics;
using System.Globalization;
using System.Net;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// Every call to an integration passes here: admitted by the shared rate limiter (so no replica or service pushes
/// the account over its limits), and retried on throttling (honouring Retry-After), server errors and lost
/// connections — but only when a repeat cannot do the work twice: reads, and writes that carry an idempotency key.
/// </summary>
public sealed class IntegrationHttpHandler(IApiRateLimiter limiter, string limitKey, ApiLimits limits) : DelegatingHandler
{
    public const int MaxAttempts = 6;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var replayable = IsReplayable(request);
        for (var attempt = 1; ; attempt++)
        {
            using var copy = Copy(request, body);
            HttpResponseMessage? response = null;
            try
            {
                await using (await limiter.AcquireAsync(limitKey, limits, cancellationToken))
                {
                    using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    attemptTimeout.CancelAfter(AttemptTimeout);
                    response = await SendMeasuredAsync(copy, attemptTimeout.Token);
                }
            }
            catch (Exception ex) when (replayable && attempt < MaxAttempts && !cancellationToken.IsCancellationRequested
                                       && ex is HttpRequestException or OperationCanceledException)
            {
                // The connection broke or the answer never came: the request may or may not have been applied;
                // a read, or the idempotency key, makes a repeat safe.
                await Task.Delay(Backoff(attempt), cancellationToken);
                continue;
            }

            if (attempt >= MaxAttempts || !replayable || !ShouldRetry(response.StatusCode))
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta
                ?? (response.Headers.RetryAfter?.Date is { } at ? at - DateTimeOffset.UtcNow : Backoff(attempt));
            response.Dispose();
            await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait, cancellationToken);
        }
    }

    /// <summary>One attempt, counted in <see cref="ReconMeshMetrics"/> by integration kind (the limit key's prefix, e.g. "qbo").</summary>
    private async Task<HttpResponseMessage> SendMeasuredAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var integration = new KeyValuePair<string, object?>("integration", limitKey.Split(':')[0]);
        var method = new KeyValuePair<string, object?>("method", request.Method.Method);
        var started = Stopwatch.GetTimestamp();
        string status = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                ReconMeshMetrics.IntegrationThrottled.Add(1, integration);
            }

            return response;
        }
        finally
        {
            ReconMeshMetrics.IntegrationRequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, integration, method);
            ReconMeshMetrics.IntegrationRequests.Add(1, integration, method, new KeyValuePair<string, object?>("status", status));
        }
    }

    /// <summary>Reads, and QuickBooks writes with a requestid (replayed by the service instead of applied twice).</summary>
    public static bool IsReplayable(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get ||
        (request.RequestUri?.Query.Contains("requestid=", StringComparison.OrdinalIgnoreCase) ?? false);

    private static bool ShouldRetry(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxWait.TotalMilliseconds, 100 * Math.Pow(2, attempt - 1) + Random.Shared.Next(0, 100)));

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        foreach (var option in request.Options)
        {
            copy.Options.Set(new HttpRequestOptionsKey<object?>(option.Key), option.Value);
        }

        return copy;
    }
}
