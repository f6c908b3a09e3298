using System.Net;
using System.Text.Json;
using Refit;

namespace ReconMesh.OperatorConsole.Services;

/// <summary>
/// What a service answered, as a page needs it: the value, or the status and the problem's title and detail (bounded,
/// never a body repeated whole). A service that cannot be reached is status 0 with a sentence saying which.
/// </summary>
public sealed record ServiceAnswer<T>(T? Value, int Status, string? Problem)
{
    public bool Ok => Status is >= 200 and < 300;

    public bool NotFound => Status == (int)HttpStatusCode.NotFound;

    /// <summary>The service did not accept the person's token (it expired between the console's check and the call).</summary>
    public bool SessionEnded => Status == (int)HttpStatusCode.Unauthorized;

    public bool Conflict => Status == (int)HttpStatusCode.Conflict;
}

public static class ServiceCalls
{
    private const int MaxProblemLength = 400;

    public static async Task<ServiceAnswer<T>> ReadAsync<T>(string service, Func<Task<IApiResponse<T>>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            var response = await call();
            if (response.StatusCode is null)
            {
                return new ServiceAnswer<T>(default, 0, Unreachable(service));
            }

            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode && response.Content is not null
                ? new ServiceAnswer<T>(response.Content, status, null)
                : new ServiceAnswer<T>(default, status, Describe(service, status, (response.Error as ApiException)?.Content));
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException { InnerException: TimeoutException })
        {
            return new ServiceAnswer<T>(default, 0, Unreachable(service));
        }
    }

    public static async Task<ServiceAnswer<bool>> SendAsync(string service, Func<Task<IApiResponse>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            var response = await call();
            if (response.StatusCode is null)
            {
                return new ServiceAnswer<bool>(false, 0, Unreachable(service) + " Look again before repeating what you asked.");
            }

            var status = (int)response.StatusCode;
            return new ServiceAnswer<bool>(response.IsSuccessStatusCode, status,
                response.IsSuccessStatusCode ? null : Describe(service, status, (response.Error as ApiException)?.Content));
        }
        catch (HttpRequestException)
        {
            return new ServiceAnswer<bool>(false, 0, $"{service} cannot be reached right now. Nothing was sent; try again in a minute.");
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            return new ServiceAnswer<bool>(false, 0, $"{service} did not answer in time. It may or may not have done it: look again before repeating.");
        }
    }

    /// <summary>Refit answers a call that never reached the service (refused, reset, timed out) without a status.</summary>
    private static string Unreachable(string service) => $"{service} cannot be reached right now; try again in a minute.";

    /// <summary>The problem's title and detail when the body is problem details; otherwise the status alone.</summary>
    private static string Describe(string service, int status, string? body)
    {
        string? text = null;
        if (!string.IsNullOrWhiteSpace(body) && body.Length < 64 * 1024)
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    var title = root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    var detail = root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                    var errors = root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
                        ? string.Join(" ", e.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array)
                            .SelectMany(p => p.Value.EnumerateArray()).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()))
                        : null;
                    text = string.Join(": ", new[] { title, detail ?? errors }.Where(s => !string.IsNullOrWhiteSpace(s)));
                }
            }
            catch (JsonException)
            {
                text = null;
            }
        }

        text = string.IsNullOrWhiteSpace(text) ? $"{service} answered HTTP {status}." : $"{service} answered HTTP {status}: {text}";
        return text.Length > MaxProblemLength ? text[..MaxProblemLength] + "…" : text;
    }
}
