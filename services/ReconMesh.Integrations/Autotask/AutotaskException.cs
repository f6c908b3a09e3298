using System.Globalization;
using System.Net;
using System.Text.Json;
using Refit;
using ReconMesh.Integrations.Http;

namespace ReconMesh.Integrations.Autotask;

/// <summary>
/// An error Autotask answered with. Autotask's own errors are <c>{"errors":["…"]}</c>, mostly with HTTP 500 (a query
/// it cannot run, an update it refuses, an unknown user at the zone look-up); a credential it does not take is an empty
/// 401; the hourly threshold and the thread limit answer 429. Classified so callers can decide: try later (throttled,
/// unavailable), ask for the credentials again (401), or tell a person what Autotask said.
/// </summary>
public sealed class AutotaskException : Exception
{
    /// <summary>How many of the answer's error messages are kept (each at most 200 characters).</summary>
    public const int MaxErrors = 10;

    public AutotaskException(HttpStatusCode status, string message, IReadOnlyList<string>? errors = null, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Errors = errors ?? [];
    }

    public AutotaskException()
    {
    }

    public AutotaskException(string message)
        : base(message)
    {
    }

    public AutotaskException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }

    /// <summary>The answer's <c>errors</c>, as Autotask wrote them (bounded).</summary>
    public IReadOnlyList<string> Errors { get; } = [];

    /// <summary>The API user, its secret or the integration code was not taken: the connection's credentials must be replaced.</summary>
    public bool IsAuthentication => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>
    /// How Autotask words a failure of its own (<c>{"errors":["An unexpected error has occurred."]}</c> with HTTP 500), as
    /// opposed to a refusal, which names the field, the value or the rule it broke.
    /// </summary>
    public const string UnexpectedError = "An unexpected error has occurred";

    /// <summary>A 500 that says nothing but Autotask's own <see cref="UnexpectedError"/>: Autotask failed, the request was not refused.</summary>
    public bool IsOwnFailure => Status == HttpStatusCode.InternalServerError && Errors.Count > 0
        && Errors.All(e => e.StartsWith(UnexpectedError, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Worth trying again later: the hourly threshold or the thread limit (429), Autotask or a gateway before it unavailable
    /// (502, 503, 504, whatever the body says: Autotask's unavailable zone answers with its <c>errors</c> too), a failure of
    /// Autotask's own (<see cref="IsOwnFailure"/>), or another 5xx without Autotask's errors. A 500 with other errors is how
    /// Autotask refuses a query or an update; a caller that checked the request first may read and try again before
    /// calling it a refusal.
    /// </summary>
    public bool IsTransient => Status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout || ((int)Status >= 500 && Errors.Count == 0) || IsOwnFailure;

    /// <summary>
    /// A 500 with Autotask's errors naming what it refused (not <see cref="IsOwnFailure"/>): the status Autotask shares with
    /// its own failures, so a caller must not mistake it for one and wait.
    /// </summary>
    public bool IsServerRefusal => Status == HttpStatusCode.InternalServerError && !IsTransient;

    /// <summary>The translator every Autotask client applies (<see cref="AutotaskClientFactory"/>), so callers only ever catch this type.</summary>
    public static AutotaskException From(ApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = (int)exception.StatusCode;
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(exception.Content))
        {
            try
            {
                using var doc = JsonDocument.Parse(exception.Content);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("errors", out var list)
                    && list.ValueKind == JsonValueKind.Array)
                {
                    errors.AddRange(list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Take(MaxErrors)
                        .Select(e => UnreadableAnswer.Field(e.GetString()) ?? "").Where(e => e.Length > 0));
                }
            }
            catch (JsonException)
            {
                // Not JSON (a gateway's page): the status and the description below say what it was.
            }
        }

        var message = exception.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "Autotask refused the credentials (HTTP 401): the API user (UserName), its Secret or the ApiIntegrationCode is wrong, or the user is not an API user",
            HttpStatusCode.TooManyRequests => "Autotask throttled the call (HTTP 429: the database's hourly request threshold, or the thread limit of the integration code)",
            _ => $"Autotask answered HTTP {status.ToString(CultureInfo.InvariantCulture)}"
                + (UnreadableAnswer.Describe(exception) is { } unreadable ? $" with {unreadable}" : ""),
        };
        if (errors.Count > 0)
        {
            message += ": " + string.Join("; ", errors);
        }

        return new AutotaskException(exception.StatusCode, message, errors, exception);
    }

    /// <summary>A call's answer, which must be there: an empty 200 answer is as unusable as a malformed one, and is said so.</summary>
    public static async Task<T> Call<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return await call() ?? throw new AutotaskException(HttpStatusCode.OK, "Autotask answered HTTP 200 with an empty body where JSON was expected");
    }
}
