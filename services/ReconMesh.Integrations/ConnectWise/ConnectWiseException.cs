using System.Net;
using System.Text.Json;
using Refit;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>An error ConnectWise PSA answered with (<c>{code, message, errors[]}</c>), classified for callers.</summary>
public sealed class ConnectWiseException : Exception
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ConnectWiseException(HttpStatusCode status, string? code, string message, IReadOnlyList<ConnectWiseValidationError> errors, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Code = code;
        Errors = errors;
    }

    public ConnectWiseException()
    {
    }

    public ConnectWiseException(string message)
        : base(message)
    {
    }

    public ConnectWiseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }

    /// <summary>ConnectWise's error code, e.g. NotFound, InvalidObject, Unauthorized.</summary>
    public string? Code { get; }

    /// <summary>The field errors of a validation failure.</summary>
    public IReadOnlyList<ConnectWiseValidationError> Errors { get; } = [];

    /// <summary>Worth retrying later: throttling, server errors.</summary>
    public bool IsTransient => Status == HttpStatusCode.TooManyRequests || (int)Status >= 500;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    /// <summary>The request was understood and refused (a field error such as an amount above the balance).</summary>
    public bool IsInvalid => Status == HttpStatusCode.BadRequest;

    public bool IsAuthentication => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>Reads ConnectWise's error body out of a Refit exception: the translator every ConnectWise client applies.</summary>
    public static ConnectWiseException From(ApiException exception)
    {
        string? code = null;
        var message = $"ConnectWise answered HTTP {(int)exception.StatusCode}"
            + (Http.UnreadableAnswer.Describe(exception) is { } unreadable ? $" with {unreadable}" : "");
        IReadOnlyList<ConnectWiseValidationError> errors = [];
        if ((int)exception.StatusCode >= 400 && !string.IsNullOrWhiteSpace(exception.Content))
        {
            try
            {
                var body = JsonSerializer.Deserialize<ConnectWiseErrorBody>(exception.Content, Json);
                if (body is not null)
                {
                    code = body.Code;
                    errors = body.Errors ?? [];
                    var details = errors.Take(5).Select(e => Http.UnreadableAnswer.Field(e.Field is null ? e.Message : $"{e.Field}: {e.Message}"))
                        .Where(m => !string.IsNullOrWhiteSpace(m));
                    message = $"ConnectWise {(int)exception.StatusCode} {Http.UnreadableAnswer.Field(code)}: {Http.UnreadableAnswer.Field(body.Message)?.TrimEnd('.')}"
                        + (errors.Count > 0 ? $" ({string.Join("; ", details)})" : "");
                }
            }
            catch (JsonException)
            {
                // Not JSON (an HTML error page, a proxy's answer): keep the status-based message.
            }
        }

        return new ConnectWiseException(exception.StatusCode, code, message, errors, exception);
    }

    /// <summary>
    /// Awaits a call's answer, which must be there: an empty 200 answer deserializes to nothing, as unusable as a
    /// malformed one, and is said so. (Error answers are already <see cref="ConnectWiseException"/>s: the client's
    /// settings translate them, see <see cref="ConnectWiseClientFactory"/>.)
    /// </summary>
    public static async Task<T> Call<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return await call() ?? throw new ConnectWiseException(HttpStatusCode.OK, null,
            "ConnectWise answered HTTP 200 with an empty body where JSON was expected", []);
    }
}
