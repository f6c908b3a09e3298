using System.Globalization;

namespace ReconMesh.Sandbox;

/// <summary>
/// How the simulators deliver a webhook: POST, and on a failure (not 2xx, or no connection) retry after a delay that
/// doubles each time, up to a number of retries, as the real services give up after a few attempts.
/// </summary>
internal static class SandboxWebhookDelivery
{
    /// <summary>
    /// Sends <paramref name="request"/> (built anew for each attempt) until a 2xx answer. Returns null once delivered,
    /// otherwise the last failure, after <paramref name="retries"/> retries or when cancelled.
    /// </summary>
    public static async Task<string?> PostAsync(HttpClient http, Func<HttpRequestMessage> request, int retries, TimeSpan firstDelay,
        TimeProvider time, Action<string, TimeSpan> onRetry, CancellationToken cancellationToken)
    {
        var delay = firstDelay;
        for (var attempt = 0; ; attempt++)
        {
            string failure;
            try
            {
                using var message = request();
                using var response = await http.SendAsync(message, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return null;
                }

                failure = string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return "cancelled";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failure = ex.Message;
            }

            if (attempt >= retries)
            {
                return failure;
            }

            onRetry(failure, delay);
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return "cancelled";
            }

            delay *= 2;
        }
    }
}
