using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>An answer of the simulated REST API as it goes on the wire.</summary>
internal sealed record AutotaskHttpResponse(int Status, byte[] Body)
{
    public const string Json = "application/json; charset=utf-8";

    /// <summary>Like Autotask's (Json.NET) answers, <c>&amp;</c>, <c>'</c> and <c>&lt;</c> are written as they are, not as <c>\u0026</c>.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static AutotaskHttpResponse Ok(JsonNode body) => Of(StatusCodes.Status200OK, body);

    public static AutotaskHttpResponse Of(int status, JsonNode body) => new(status, Encoding.UTF8.GetBytes(body.ToJsonString(Options)));
}

/// <summary>A call refused with the answer to send; thrown from deep in a handler.</summary>
internal sealed class AutotaskApiException(AutotaskHttpResponse response) : Exception("Autotask API error " + response.Status)
{
    public AutotaskHttpResponse Response { get; } = response;
}

/// <summary>
/// Autotask's error answers. The API's own errors are <c>{"errors":["…"]}</c>, mostly with HTTP 500 (a bad query, a
/// refused update, an unknown user at the zone look-up: <c>Zone information could not be determined</c>); every
/// credential failure on a call is an empty 401; routes the API does not have answer as ASP.NET Web API does
/// (<c>{"Message":"…"}</c> with 404 or 405). Wording marked [I] in <see cref="AutotaskMessages"/> is inferred.
/// </summary>
internal static class AutotaskErrors
{
    public static AutotaskApiException Error(string message, int status = StatusCodes.Status500InternalServerError) =>
        new(Errors(status, message));

    public static AutotaskHttpResponse Errors(int status, params string[] messages) =>
        AutotaskHttpResponse.Of(status, new JsonObject { ["errors"] = new JsonArray([.. messages.Select(m => (JsonNode)m)]) });

    public static AutotaskHttpResponse Unauthorized() => new(StatusCodes.Status401Unauthorized, []);

    public static AutotaskHttpResponse ZoneUnknown() => Errors(StatusCodes.Status500InternalServerError, AutotaskMessages.ZoneUnknown);

    public static AutotaskApiException MethodNotAllowed(string method) => new(AutotaskHttpResponse.Of(StatusCodes.Status405MethodNotAllowed,
        new JsonObject { ["Message"] = $"The requested resource does not support http method '{method}'." }));

    public static AutotaskApiException NoRoute(string uri) => new(AutotaskHttpResponse.Of(StatusCodes.Status404NotFound,
        new JsonObject { ["Message"] = $"No HTTP resource was found that matches the request URI '{uri}'." }));
}
