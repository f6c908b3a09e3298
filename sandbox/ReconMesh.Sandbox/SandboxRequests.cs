using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox;

/// <summary>Reading requests the same way in every simulator: bounded bodies, bearer tokens and admin JSON objects.</summary>
internal static class SandboxRequests
{
    /// <summary>The whole body, or null as soon as it grows beyond <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The token of an <c>Authorization: Bearer …</c> header, or null when there is none.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header["Bearer ".Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>
    /// The body as a JSON object of at most <paramref name="maxBytes"/>, or null when it is not one. An empty body is
    /// an empty object when <paramref name="emptyIsObject"/>.
    /// </summary>
    public static async Task<JsonDocument?> ReadObjectAsync(HttpContext context, int maxBytes, bool emptyIsObject = false)
    {
        var body = await ReadBodyAsync(context.Request, maxBytes, context.RequestAborted);
        if (body is null)
        {
            return null;
        }

        if (body.Length == 0 && emptyIsObject)
        {
            return JsonDocument.Parse("{}");
        }

        try
        {
            var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
