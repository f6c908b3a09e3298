using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// How entities go on the wire: camelCase fields in the entity's order, dates as ISO 8601 UTC with a <c>Z</c>
/// (<c>2026-12-05T00:00:00Z</c>, milliseconds when there are any), money as JSON numbers, and
/// <c>userDefinedFields: []</c> on entities that have them.
/// </summary>
internal static class AutotaskWire
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public static string FormatDate(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>An ISO date or date-time (no zone means UTC), as UTC; null when it is not one.</summary>
    public static DateTime? ParseDate(string text) =>
        DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? DateTime.SpecifyKind(parsed, DateTimeKind.Utc)
            : null;

    /// <summary>The record as the API writes it; with <paramref name="include"/>, only those fields.</summary>
    public static JsonObject Render(AutotaskRecord record, IReadOnlyList<AutotaskField>? include = null)
    {
        var json = new JsonObject();
        foreach (var field in include ?? record.Entity.Fields)
        {
            json[field.Name] = Value(record[field.Name]);
        }

        if (record.Entity.HasUserDefinedFields)
        {
            json["userDefinedFields"] = new JsonArray();
        }

        return json;
    }

    public static JsonNode? Value(object? value) => value switch
    {
        null => null,
        long l => JsonValue.Create(l),
        decimal d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        DateTime t => JsonValue.Create(FormatDate(t)),
        string s => JsonValue.Create(s),
        _ => JsonValue.Create(value.ToString()),
    };
}
