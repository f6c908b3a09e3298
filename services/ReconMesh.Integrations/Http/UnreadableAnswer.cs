using System.Text.Json;
using Refit;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// Words for an integration's answer that is not the JSON its API documents (an HTML error page of a gateway, a body cut
/// off by a proxy, JSON under another content type): the content type, and the start of the body, so an operator can
/// tell a login page from an outage without reading logs. No more than the start: an answer is not a place for secrets,
/// but neither is an error message a place for a whole page.
/// </summary>
public static class UnreadableAnswer
{
    private const int Shown = 120;

    /// <summary>E.g. <c>text/html, not JSON: "&lt;html&gt;&lt;head&gt;&lt;title&gt;502 Bad Gateway…"</c>; null when the body is JSON of any shape.</summary>
    public static string? Describe(ApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var contentType = exception.ContentHeaders?.ContentType?.MediaType ?? "no content type";
        var content = exception.Content;
        if (string.IsNullOrWhiteSpace(content))
        {
            return exception.IsSuccessStatusCode() ? $"{contentType}, an empty body where JSON was expected" : null;
        }

        string? jsonProblem = null;
        try
        {
            using var _ = JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            jsonProblem = ex.Message;
        }

        if (jsonProblem is null && exception.InnerException is not JsonException)
        {
            return null;
        }

        var start = string.Join(' ', content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        start = start.Length > Shown ? start[..Shown] + "…" : start;
        var what = jsonProblem is null
            ? $"JSON of an unexpected shape ({exception.InnerException!.Message})"
            : $"not JSON{(contentType.Contains("json", StringComparison.OrdinalIgnoreCase) ? " (truncated or malformed)" : "")}";
        return $"{contentType}, {what}: \"{start}\"";
    }

    private static bool IsSuccessStatusCode(this ApiException exception) => (int)exception.StatusCode is >= 200 and < 300;
}
