using System.Net;
using System.Text.Json;
using Refit;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>A fault QuickBooks Online answered with, classified so callers can decide: retry, re-read, or ask a person.</summary>
public sealed class QuickBooksException : Exception
{
    public QuickBooksException(HttpStatusCode status, string? code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Code = code;
    }

    public QuickBooksException()
    {
    }

    public QuickBooksException(string message)
        : base(message)
    {
    }

    public QuickBooksException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }

    /// <summary>QuickBooks' fault code, e.g. 5010 (stale SyncToken), 610 (object not found), 6540 (deposited), 6240, 3001 (throttled).</summary>
    public string? Code { get; }

    /// <summary>Worth retrying later with the same request id: throttling, server errors.</summary>
    public bool IsTransient => Status == HttpStatusCode.TooManyRequests || (int)Status >= 500;

    public bool IsStaleObject => Code == "5010";

    public bool IsNotFound => Code == "610";

    /// <summary>The transaction is part of a deposit and cannot be changed (6540).</summary>
    public bool IsDeposited => Code == "6540";

    public bool IsAuthentication => Status == HttpStatusCode.Unauthorized;

    /// <summary>
    /// Reads QuickBooks' fault body (either casing it uses) out of a Refit exception: the translator every QuickBooks
    /// client applies (<see cref="QuickBooksClientFactory"/>), so callers only ever catch this type.
    /// </summary>
    public static QuickBooksException From(ApiException exception)
    {
        string? code = null;
        var message = $"QuickBooks answered HTTP {(int)exception.StatusCode}"
            + (Http.UnreadableAnswer.Describe(exception) is { } unreadable ? $" with {unreadable}" : "");
        if (!string.IsNullOrWhiteSpace(exception.Content))
        {
            try
            {
                using var doc = JsonDocument.Parse(exception.Content);
                if (TryGet(doc.RootElement, "Fault", out var fault) && TryGet(fault, "Error", out var errors)
                    && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
                {
                    var first = errors[0];
                    code = TryGet(first, "code", out var c) ? Http.UnreadableAnswer.Field(c.ToString()) : null;
                    var text = TryGet(first, "Message", out var m) ? Http.UnreadableAnswer.Field(m.ToString()) : null;
                    var detail = TryGet(first, "Detail", out var d) ? Http.UnreadableAnswer.Field(d.ToString()) : null;
                    message = $"QuickBooks fault {code}: {text}{(detail is null ? "" : $" ({detail})")}";
                }
            }
            catch (JsonException)
            {
                // Not JSON (an HTML error page, a proxy's answer): keep the status-based message.
            }
        }

        return new QuickBooksException(exception.StatusCode, code, message, exception);
    }

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }
}
