using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>Reading and writing the simulator's JSON documents. Amounts are always <see cref="decimal"/>.</summary>
internal static class QboJson
{
    /// <summary>QuickBooks does not escape apostrophes or non-ASCII letters; neither do we.</summary>
    public static readonly JsonSerializerOptions WireOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonSerializerOptions AdminOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, WireOptions);

    public static string? GetString(JsonObject obj, string key) =>
        obj[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static decimal? GetDecimal(JsonObject obj, string key) =>
        obj[key] is JsonValue value && value.TryGetValue<decimal>(out var amount) ? amount : null;

    public static bool? GetBool(JsonObject obj, string key) =>
        obj[key] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static int GetSyncToken(JsonObject doc) =>
        int.TryParse(GetString(doc, "SyncToken"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var token) ? token : 0;

    /// <summary>The <c>value</c> of a reference such as <c>CustomerRef</c>.</summary>
    public static string? RefValue(JsonObject obj, string key) =>
        obj[key] is JsonObject reference ? GetString(reference, "value")?.Trim() : null;

    public static JsonObject Ref(string value, string? name = null)
    {
        var reference = new JsonObject { ["value"] = value };
        if (name is not null)
        {
            reference["name"] = name;
        }

        return reference;
    }

    public static JsonObject MetaData(string created, string updated) => new()
    {
        ["CreateTime"] = created,
        ["LastUpdatedTime"] = updated,
    };

    /// <summary>Finds a property by name ignoring case (query paths such as <c>Metadata.LastUpdatedTime</c>).</summary>
    public static JsonNode? GetIgnoreCase(JsonObject obj, string name)
    {
        if (obj.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
