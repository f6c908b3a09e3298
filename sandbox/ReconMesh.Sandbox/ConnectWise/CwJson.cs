using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Writing the simulator's JSON. Amounts are always <see cref="decimal"/>; times are UTC with a <c>Z</c>.</summary>
internal static class CwJson
{
    public static readonly JsonSerializerOptions WireOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonSerializerOptions AdminOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, WireOptions);

    /// <summary>Nodes written as one JSON array, the same bytes as serialising a <c>JsonArray</c> of copies of them.</summary>
    public static byte[] SerializeArray(IReadOnlyList<JsonNode> nodes)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 + (nodes.Count * 1024));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireOptions.Encoder, Indented = WireOptions.WriteIndented }))
        {
            writer.WriteStartArray();
            foreach (var node in nodes)
            {
                node.WriteTo(writer, WireOptions);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string SerializeToString(JsonNode node) => JsonSerializer.Serialize(node, WireOptions);

    /// <summary><c>2024-03-01T15:04:05Z</c>.</summary>
    public static string Stamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Second precision, UTC: the granularity ConnectWise stores times with.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    public static bool TryParseDate(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = Truncate(parsed);
            return true;
        }

        return false;
    }

    public static JsonObject Info(params (string Key, string? Value)[] entries)
    {
        var info = new JsonObject();
        foreach (var (key, value) in entries)
        {
            info[key] = value;
        }

        return info;
    }

    /// <summary>A reference such as <c>{"id":250,"identifier":"ACME","name":"Acme","_info":{"company_href":"…"}}</c>.</summary>
    public static JsonObject Reference(int id, string? identifier, string? name, string hrefKey, string href)
    {
        var reference = new JsonObject { ["id"] = id };
        if (identifier is not null)
        {
            reference["identifier"] = identifier;
        }

        if (name is not null)
        {
            reference["name"] = name;
        }

        reference["_info"] = Info((hrefKey, href));
        return reference;
    }

    public static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
