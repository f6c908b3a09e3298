using System.Globalization;
using System.Net;
using System.Text.Json;
using Refit;
using ReconMesh.Integrations.Http;

namespace ReconMesh.Integrations.Xero;

/// <summary>
/// An error Xero answered with, classified so callers can decide: retry later (throttled, unavailable), ask for the
/// connection to be authorised again (401, or 403 once the organisation is disconnected from the app), or tell a
/// person what Xero refused (a <c>ValidationException</c>, with each element's messages).
/// </summary>
public sealed class XeroException : Exception
{
    public XeroException(HttpStatusCode status, string? type, string message, IReadOnlyList<string>? validationErrors = null,
        string? rateLimitProblem = null, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Type = type;
        ValidationErrors = validationErrors ?? [];
        RateLimitProblem = rateLimitProblem;
    }

    public XeroException()
    {
    }

    public XeroException(string message)
        : base(message)
    {
    }

    public XeroException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How many of a ValidationException's messages are kept (each at most 200 characters).</summary>
    public const int MaxValidationErrors = 10;

    public HttpStatusCode Status { get; }

    /// <summary>Xero's exception type, e.g. ValidationException, QueryParseException, PostDataInvalidException.</summary>
    public string? Type { get; }

    /// <summary>The <c>Elements[].ValidationErrors[].Message</c> of a ValidationException.</summary>
    public IReadOnlyList<string> ValidationErrors { get; } = [];

    /// <summary>A 429's <c>X-Rate-Limit-Problem</c>: minute, day or concurrent.</summary>
    public string? RateLimitProblem { get; }

    /// <summary>Worth trying again later: throttled, or Xero unavailable.</summary>
    public bool IsTransient => Status == HttpStatusCode.TooManyRequests || ((int)Status >= 500 && Status != HttpStatusCode.NotImplemented);

    /// <summary>The token was refused (401), or the organisation no longer lets it in (403): the connection must be authorised again.</summary>
    public bool IsAuthentication => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    public bool IsValidation => Status == HttpStatusCode.BadRequest && Type == "ValidationException";

    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    /// <summary>The translator every Xero client applies (<see cref="XeroClientFactory"/>), so callers only ever catch this type.</summary>
    public static XeroException From(ApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = (int)exception.StatusCode;
        var problem = exception.Headers?.TryGetValues("X-Rate-Limit-Problem", out var values) == true ? UnreadableAnswer.Field(values.FirstOrDefault()) : null;
        if (exception.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var after = exception.Headers?.RetryAfter?.Delta is { } delta ? $", Retry-After {delta.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" : "";
            return new XeroException(exception.StatusCode, null, $"Xero throttled the call (limit: {problem ?? "not said"}{after})", null, problem, exception);
        }

        var message = $"Xero answered HTTP {status.ToString(CultureInfo.InvariantCulture)}"
            + (UnreadableAnswer.Describe(exception) is { } unreadable ? $" with {unreadable}" : "");
        string? type = null;
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(exception.Content))
        {
            try
            {
                using var doc = JsonDocument.Parse(exception.Content);
                (type, message) = Read(doc.RootElement, status, errors) ?? (null, message);
            }
            catch (JsonException)
            {
                // Not JSON (Xero's plain-text 404, a gateway's page): keep the status-based message.
            }
        }

        if (exception.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            message += "; the connection must be authorised in Xero again (a new token connected to the organisation)";
        }

        return new XeroException(exception.StatusCode, type, message, errors, problem, exception);
    }

    /// <summary>Xero's ApiException body (<c>Type</c>, <c>Message</c>, <c>Elements</c>) or its problem body (<c>Title</c>, <c>Detail</c>).</summary>
    private static (string? Type, string Message)? Read(JsonElement root, int status, List<string> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = Text(root, "Type");
        if (type is not null)
        {
            if (root.TryGetProperty("Elements", out var elements) && elements.ValueKind == JsonValueKind.Array)
            {
                // At most ten messages in all: an answer of thousands of elements must not become a message of megabytes.
                foreach (var element in elements.EnumerateArray().TakeWhile(_ => errors.Count < MaxValidationErrors))
                {
                    if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(nameof(ValidationErrors), out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        errors.AddRange(list.EnumerateArray().Select(e => Text(e, "Message")).OfType<string>().Take(MaxValidationErrors - errors.Count));
                    }
                }
            }

            var said = errors.Count > 0 ? string.Join("; ", errors.Distinct()) : Text(root, "Message");
            return (type, $"Xero refused the request ({type}): {said}");
        }

        return Text(root, "Title") is { } title
            ? (null, $"Xero answered HTTP {status.ToString(CultureInfo.InvariantCulture)} ({title}: {Text(root, "Detail")})")
            : null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? UnreadableAnswer.Field(value.GetString())
            : null;
}
