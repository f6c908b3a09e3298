using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>One stored entity: its current JSON document (as QuickBooks would return it) and its lifecycle flags.</summary>
internal sealed class QboRecord(string entity, string id, JsonObject doc)
{
    public string Entity { get; } = entity;

    public string Id { get; } = id;

    public JsonObject Doc { get; set; } = doc;

    public bool Deleted { get; set; }

    public bool Voided { get; set; }
}

/// <summary>An HTTP answer of the v3 API, kept whole so that a repeated <c>requestid</c> gets exactly the same bytes.</summary>
internal sealed record QboHttpResponse(int Status, byte[] Body);
