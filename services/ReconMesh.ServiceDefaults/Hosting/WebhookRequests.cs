using Microsoft.AspNetCore.Http;

namespace ReconMesh.ServiceDefaults.Hosting;

/// <summary>
/// What every webhook does before it looks at a body: refuse anything that is not JSON (415), and read at most a
/// bounded number of bytes (413), whatever Content-Length claims or a chunked body turns out to be. Answers are
/// problem details that say what was wrong.
/// </summary>
public static class WebhookRequests
{
    /// <summary>The raw body, or the problem to answer with instead.</summary>
    public readonly record struct Body(byte[]? Bytes, IResult? Problem);

    /// <summary>Null for a JSON content type (<c>application/json</c> or <c>application/*+json</c>, any charset); else a 415 problem.</summary>
    public static IResult? RequireJson(HttpRequest request, string what)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contentType = request.ContentType;
        if (!string.IsNullOrEmpty(contentType) && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
            && media.MediaType.Value is { } type && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase))))
        {
            return null;
        }

        return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not JSON",
            detail: $"{what} must be sent as application/json, not {(string.IsNullOrEmpty(contentType) ? "without a Content-Type" : $"'{Shorten(contentType)}'")}.");
    }

    /// <summary>The body if it is JSON and at most <paramref name="maxBytes"/> long; otherwise a 415 or 413 problem.</summary>
    public static async Task<Body> ReadJsonAsync(HttpRequest request, int maxBytes, string what)
    {
        if (RequireJson(request, what) is { } notJson)
        {
            return new Body(null, notJson);
        }

        var tooLarge = Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
            detail: $"{what} may be at most {maxBytes} bytes.");
        if (request.ContentLength > maxBytes)
        {
            return new Body(null, tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return new Body(null, tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return new Body(buffer.ToArray(), null);
    }

    private static string Shorten(string value) => value.Length > 100 ? value[..100] + "…" : value;
}
