using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>The answers of the v3 API: entity envelopes, faults in QuickBooks' shapes.</summary>
internal sealed partial class QboApiHandler
{
    private static QboHttpResponse Envelope(QboCompany company, string entity, JsonObject doc) =>
        Ok(new JsonObject { [entity] = doc.DeepClone(), ["time"] = company.Clock.ResponseTime() });

    private static QboHttpResponse Envelope(QboCompany company, string entity, QboRecord record) =>
        new(StatusCodes.Status200OK, QboWire.Envelope(entity, record, company.Clock.ResponseTime()));

    private static QboHttpResponse Deleted(QboCompany company, string entity, QboRecord record) => Ok(new JsonObject
    {
        [entity] = new JsonObject { ["status"] = "Deleted", ["domain"] = "QBO", ["Id"] = record.Id },
        ["time"] = company.Clock.ResponseTime(),
    });

    private static QboHttpResponse Ok(JsonObject body) => new(StatusCodes.Status200OK, QboJson.Serialize(body));

    private QboHttpResponse Fault(QboFaultException fault) => FaultBody(fault, simulator.Clock.ResponseTime());

    private static QboHttpResponse Fault(QboFaultException fault, QboCompany company) => FaultBody(fault, company.Clock.ResponseTime());

    private static QboHttpResponse FaultBody(QboFaultException fault, string time) => new(fault.Status, QboJson.Serialize(new JsonObject
    {
        ["Fault"] = new JsonObject
        {
            ["Error"] = new JsonArray(new JsonObject
            {
                ["Message"] = fault.Message,
                ["Detail"] = fault.Detail,
                ["code"] = fault.Code,
                ["element"] = fault.Element,
            }),
            ["type"] = fault.FaultType,
        },
        ["time"] = time,
    }));

    private QboHttpResponse Throttled() => FaultBody(
        new QboFaultException(StatusCodes.Status429TooManyRequests, "3001", "message=ThrottleExceeded; errorCode=003001; statusCode=429",
            "The request limit was reached.", "", "SERVICE"),
        simulator.Clock.ResponseTime());

    /// <summary>QuickBooks answers a bad token with its lowercase "IntuitResponse" serialization, not the Fault envelope.</summary>
    private QboHttpResponse Unauthorized(string detail) => new(StatusCodes.Status401Unauthorized, QboJson.Serialize(new JsonObject
    {
        ["warnings"] = null,
        ["intuitObject"] = null,
        ["fault"] = new JsonObject
        {
            ["error"] = new JsonArray(new JsonObject
            {
                ["message"] = "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                ["detail"] = detail,
                ["code"] = "3200",
                ["element"] = null,
            }),
            ["type"] = "AUTHENTICATION",
        },
        ["report"] = null,
        ["queryResponse"] = null,
        ["batchItemResponse"] = new JsonArray(),
        ["attachableResponse"] = new JsonArray(),
        ["syncErrorResponse"] = null,
        ["requestId"] = null,
        ["time"] = simulator.Clock.Time.GetUtcNow().ToUnixTimeMilliseconds(),
        ["status"] = null,
        ["cdcresponse"] = new JsonArray(),
    }));
}
