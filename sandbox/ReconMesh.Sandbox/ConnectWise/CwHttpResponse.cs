using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>An answer before it is written: status, JSON body (none for 204) and extra headers.</summary>
internal sealed record CwHttpResponse(int Status, JsonNode? Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>A list's rows, written as a JSON array in place of <see cref="Body"/> (shared renderings: not cloned, not changed).</summary>
    public IReadOnlyList<JsonNode>? Rows { get; init; }

    /// <summary>Writes the answer with ConnectWise's headers (no-cache, <c>x-cw-request-id</c>, Basic challenge on 401).</summary>
    public async Task WriteAsync(HttpContext context)
    {
        var http = context.Response;
        http.StatusCode = Status;
        http.Headers.CacheControl = "no-cache";
        http.Headers.Pragma = "no-cache";
        http.Headers["x-cw-request-id"] = Guid.NewGuid().ToString("D");
        foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
        {
            http.Headers[name] = value;
        }

        if (Status == StatusCodes.Status401Unauthorized)
        {
            http.Headers.WWWAuthenticate = "Basic realm=\"ConnectWise\"";
        }

        byte[] bytes;
        if (Rows is { } rows)
        {
            bytes = CwJson.SerializeArray(rows);
        }
        else if (Body is not null)
        {
            bytes = CwJson.Serialize(Body);
        }
        else
        {
            return;
        }

        http.ContentType = "application/json; charset=utf-8";
        http.ContentLength = bytes.Length;
        await http.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
