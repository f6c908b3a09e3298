using System.Text.Json;
using Refit;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// Words for an integration's answer that is not the JSON its API documents (an HTML error page of a gateway, a body cut
/// off by a proxy, JSON under another content type): its content type, its length and what is wrong with it, so an
/// operator can tell a login page from an outage without reading logs. Never the body itself: these words end up in
/// API answers (a connection's <c>lastSyncFailure</c>), and an answer an attacker steers elsewhere must not be read
/// back through them.
/// </summary>
public static class UnreadableAnswer
{
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

        var what = jsonProblem is null
            ? $"JSON of an unexpected shape ({exception.InnerException!.Message})"
            : $"not JSON{(contentType.Contains("json", StringComparison.OrdinalIgnoreCase) ? " (truncated or malformed)" : "")}";
        return $"{contentType}, {what} ({content.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters, not shown)";
    }

    /// <summary>
    /// A field of an integration's structured error (a QuickBooks fault's Message, a ConnectWise error's message), as it
    /// may be repeated: control characters dropped, at most 200 characters. These are the documented error fields of an
    /// allowed host (<see cref="IntegrationAddressPolicy"/>), not its body.
    /// </summary>
    public static string? Field(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var clean = new string([.. text.Where(c => !char.IsControl(c))]).Trim();
        return clean.Length > 200 ? clean[..200] + "…" : clean;
    }

    private static bool IsSuccessStatusCode(this ApiException exception) => (int)exception.StatusCode is >= 200 and < 300;
}
