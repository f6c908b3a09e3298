using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReconMesh.IntegrationTests.Wire;

/// <summary>
/// Checks a JSON value against a documented field table, the way a connector team's own record would read it: the same
/// field names and no others, each value of the documented JSON type (enum members as documented strings, amounts as
/// numbers, times ISO 8601 with an offset, dates yyyy-MM-dd), null only where the field is nullable. Each mismatch is
/// reported with its path, so a failure says which field drifted and how.
/// </summary>
public static partial class DocumentedShape
{
    public static List<string> Problems(JsonObject message, IReadOnlyList<DocumentedField> fields, DocumentedContracts docs, string path)
    {
        var problems = new List<string>();
        CheckObject(message, fields, docs, path, problems);
        return problems;
    }

    private static void CheckObject(JsonObject value, IReadOnlyList<DocumentedField> fields, DocumentedContracts docs, string path, List<string> problems)
    {
        var documented = fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in value)
        {
            if (!documented.Contains(name))
            {
                problems.Add($"{path}.{name}: on the wire but not documented");
            }
        }

        foreach (var field in fields)
        {
            if (!value.TryGetPropertyValue(field.Name, out var node))
            {
                problems.Add($"{path}.{field.Name}: documented ({field.JsonType}) but missing on the wire");
                continue;
            }

            Check(node, field.JsonType, field.Nullable, docs, $"{path}.{field.Name}", problems);
        }
    }

    private static void Check(JsonNode? node, string jsonType, bool nullable, DocumentedContracts docs, string path, List<string> problems)
    {
        if (node is null)
        {
            if (!nullable)
            {
                problems.Add($"{path}: null, but documented as required {jsonType}");
            }

            return;
        }

        var kind = node.GetValueKind();
        var text = kind == JsonValueKind.String ? node.GetValue<string>() : null;
        void Mismatch(string what) => problems.Add($"{path}: documented as {jsonType}, arrived as {what}: {node.ToJsonString()}");

        if (jsonType.StartsWith("array of ", StringComparison.Ordinal))
        {
            if (node is not JsonArray array)
            {
                Mismatch(kind.ToString());
                return;
            }

            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], jsonType["array of ".Length..], nullable: false, docs, $"{path}[{i}]", problems);
            }

            return;
        }

        var linked = DocumentedField.LinkedType(jsonType);
        if (jsonType.StartsWith("object ", StringComparison.Ordinal))
        {
            if (node is not JsonObject obj || linked is null || !docs.Records.TryGetValue(linked, out var fields))
            {
                Mismatch(kind.ToString());
                return;
            }

            CheckObject(obj, fields, docs, path, problems);
            return;
        }

        var ok = jsonType switch
        {
            "number" => kind == JsonValueKind.Number,
            "integer" => kind == JsonValueKind.Number && long.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "string" => text is not null,
            "string (uuid)" => Guid.TryParseExact(text, "D", out _),
            "string (date-time)" => text is not null && DateTime().IsMatch(text),
            "string (date)" => text is not null && Date().IsMatch(text),
            "string (duration, [d.]hh:mm:ss)" => TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out _),
            _ when linked is not null && docs.Enums.TryGetValue(linked, out var members) => text is not null && members.Contains(text),
            _ => throw new InvalidOperationException($"{path}: the test does not know the documented JSON type '{jsonType}'."),
        };
        if (!ok)
        {
            Mismatch(kind.ToString());
        }
    }

    // ISO 8601 with an explicit offset: what System.Text.Json writes for DateTimeOffset.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTime();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex Date();

    /// <summary>
    /// Differences between two JSON values, numbers compared by their text: 1250.00 and 1250.0 are the same decimal, but
    /// the documented example shows what the wire carries, digit for digit.
    /// </summary>
    public static List<string> Differences(JsonNode? expected, JsonNode? actual, string path)
    {
        var differences = new List<string>();
        Compare(expected, actual, path, differences);
        return differences;
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected, actual)
        {
            case (null, null):
                return;
            case (JsonObject e, JsonObject a):
                foreach (var name in e.Select(p => p.Key).Union(a.Select(p => p.Key), StringComparer.Ordinal))
                {
                    if (!e.ContainsKey(name) || !a.ContainsKey(name))
                    {
                        differences.Add($"{path}.{name}: {(e.ContainsKey(name) ? "documented, missing on the wire" : "on the wire, not in the example")}");
                        continue;
                    }

                    Compare(e[name], a[name], $"{path}.{name}", differences);
                }

                return;
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    Compare(e[i], a[i], $"{path}[{i}]", differences);
                }

                return;
            default:
                var documented = expected?.ToJsonString() ?? "null";
                var wire = actual?.ToJsonString() ?? "null";
                if (!string.Equals(documented, wire, StringComparison.Ordinal))
                {
                    differences.Add($"{path}: documented {documented}, on the wire {wire}");
                }

                return;
        }
    }
}
