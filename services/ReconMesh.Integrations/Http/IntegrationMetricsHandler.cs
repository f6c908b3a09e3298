using System.Diagnostics;
using System.Globalization;
using System.Net;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// Counts and times each attempt against an integration in <see cref="ReconMeshMetrics"/> (tags integration, e.g. "qbo",
/// method and status: the code, or "error" when no answer came), and counts the throttled ones; the rate limiter's
/// wait is not part of the duration.
/// </summary>
public sealed class IntegrationMetricsHandler(string integration) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var kind = new KeyValuePair<string, object?>("integration", integration);
        var method = new KeyValuePair<string, object?>("method", request.Method.Method);
        var started = Stopwatch.GetTimestamp();
        var status = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                ReconMeshMetrics.IntegrationThrottled.Add(1, kind);
            }

            return response;
        }
        finally
        {
            ReconMeshMetrics.IntegrationRequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, kind, method);
            ReconMeshMetrics.IntegrationRequests.Add(1, kind, method, new KeyValuePair<string, object?>("status", status));
        }
    }
}
