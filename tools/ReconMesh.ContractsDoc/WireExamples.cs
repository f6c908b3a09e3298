using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReconMesh.ContractsDoc;

/// <summary>The document's JSON examples: how they are written, and the MassTransit envelope a message travels in.</summary>
internal static class WireExamples
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A sample of <paramref name="message"/> in the envelope every <c>reconmesh.*</c> exchange carries.</summary>
    public static Dictionary<string, object?> Envelope(Type message) => new()
    {
        ["messageId"] = new Guid("0b3f5c8e-3a51-4c1e-9d0f-6a0e2b7c4d21"),
        ["conversationId"] = new Guid("5d9a7e10-8c2b-4f3a-b6e4-1f2d3c4b5a69"),
        ["sourceAddress"] = "rabbitmq://broker.example/the-publisher",
        ["destinationAddress"] = $"rabbitmq://broker.example/{ContractTypes.Exchange(message)}",
        ["messageType"] = new[] { ContractTypes.Urn(message) },
        ["message"] = Samples.Build(message),
        ["sentTime"] = new DateTimeOffset(2025, 10, 14, 16, 32, 4, TimeSpan.Zero),
        ["headers"] = new Dictionary<string, object>(),
    };
}
