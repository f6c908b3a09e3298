using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Xero's error answers. 400s are an ApiException: <c>{ErrorNumber, Type, Message[, Elements]}</c> (10
/// ValidationException with <c>Elements[].ValidationErrors[].Message</c>; 16 QueryParseException). Authentication
/// failures are a problem-details body (<c>Type, Title, Status, Detail, Instance, Extensions</c>): 401 for a bad token,
/// 403 for a tenant the token is not connected to. Messages marked [I] in <see cref="XeroMessages"/> are inferred.
/// </summary>
internal static class XeroErrors
{
    public static XeroApiException Validation(JsonArray elements) => new(Body(StatusCodes.Status400BadRequest, new JsonObject
    {
        ["ErrorNumber"] = 10,
        ["Type"] = "ValidationException",
        ["Message"] = "A validation exception occurred",
        ["Elements"] = elements,
    }));

    /// <summary>A ValidationException about one element, echoed with its errors.</summary>
    public static XeroApiException Validation(JsonObject element, params string[] messages)
    {
        element["ValidationErrors"] = Messages(messages);
        return Validation(new JsonArray(element));
    }

    /// <summary>A request refused as a whole (not one element): a ValidationException whose Message says why.</summary>
    public static XeroApiException Rejected(string message) => new(Body(StatusCodes.Status400BadRequest, new JsonObject
    {
        ["ErrorNumber"] = 10,
        ["Type"] = "ValidationException",
        ["Message"] = message,
        ["Elements"] = new JsonArray(),
    }));

    public static JsonArray Messages(IEnumerable<string> messages) =>
        new([.. messages.Select(m => (JsonNode)new JsonObject { ["Message"] = m })]);

    public static XeroApiException QueryParse(string message) => new(Body(StatusCodes.Status400BadRequest, new JsonObject
    {
        ["ErrorNumber"] = 16,
        ["Type"] = "QueryParseException",
        ["Message"] = message,
    }));

    /// <summary>A malformed or oversized request body (ErrorNumber 14, PostDataInvalidException).</summary>
    public static XeroApiException PostDataInvalid(string message, int status = StatusCodes.Status400BadRequest) => new(Body(status, new JsonObject
    {
        ["ErrorNumber"] = 14,
        ["Type"] = "PostDataInvalidException",
        ["Message"] = message,
    }));

    public static XeroHttpResponse Unauthorized(string detail) => Problem(StatusCodes.Status401Unauthorized, "Unauthorized", detail);

    public static XeroHttpResponse Forbidden() => Problem(StatusCodes.Status403Forbidden, "Forbidden", "AuthenticationUnsuccessful");

    /// <summary>Xero answers an unknown resource or id with a plain-text 404.</summary>
    public static XeroApiException NotFound() =>
        new(new XeroHttpResponse(StatusCodes.Status404NotFound, Encoding.UTF8.GetBytes("The resource you're looking for cannot be found"), "text/plain; charset=utf-8"));

    public static XeroApiException MethodNotAllowed() =>
        new(new XeroHttpResponse(StatusCodes.Status405MethodNotAllowed, Encoding.UTF8.GetBytes("The requested resource does not support http method"), "text/plain; charset=utf-8"));

    public static XeroHttpResponse InternalError() => Body(StatusCodes.Status500InternalServerError, new JsonObject
    {
        ["ErrorNumber"] = 500,
        ["Type"] = "UnknownErrorException",
        ["Message"] = "An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.",
    });

    public static XeroHttpResponse Body(int status, JsonObject body) => new(status, XeroWire.Serialize(body));

    private static XeroHttpResponse Problem(int status, string title, string detail) => Body(status, new JsonObject
    {
        ["Type"] = null,
        ["Title"] = title,
        ["Status"] = status,
        ["Detail"] = detail,
        ["Instance"] = Guid.NewGuid().ToString("D"),
        ["Extensions"] = new JsonObject(),
    });
}
