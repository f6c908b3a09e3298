using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.QuickBooks;

internal enum QboKind
{
    String,
    Decimal,
    Integer,
    Boolean,
    Date,
    Object,
    Array,
    Any,
}

/// <summary>One property QuickBooks accepts: its type, whether the server ignores it on input, its length limit.</summary>
internal sealed record QboField(QboKind Kind, bool ReadOnly = false, int MaxLength = 0, QboObjectSchema? Schema = null, QboField? Element = null);

/// <summary>The properties of one QuickBooks type. Unknown properties are refused, as QuickBooks' deserializer does.</summary>
internal sealed class QboObjectSchema(string javaClass, IReadOnlyDictionary<string, QboField> fields)
{
    public string JavaClass { get; } = javaClass;

    public IReadOnlyDictionary<string, QboField> Fields { get; } = fields;

    public static QboObjectSchema Of(string javaClass, params (string Name, QboField Field)[] fields) =>
        new("com.intuit.schema.finance.v3." + javaClass, fields.ToDictionary(f => f.Name, f => f.Field, StringComparer.Ordinal));

    /// <summary>
    /// Checks a request body against the schema and returns it as a document whose amounts are decimals, strings are
    /// strings and dates are <c>yyyy-MM-dd</c>. Explicit <c>null</c>s are kept (they matter to sparse updates).
    /// </summary>
    public JsonObject Normalize(JsonElement element, string path = "")
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw QboFaults.InvalidProperty($"Can not deserialize instance of {JavaClass} out of {Token(element)} token", path.Length == 0 ? JavaClass : path);
        }

        var result = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            var childPath = path.Length == 0 ? property.Name : path + "." + property.Name;
            if (!Fields.TryGetValue(property.Name, out var field))
            {
                throw QboFaults.InvalidProperty(
                    $"Unrecognized field \"{property.Name}\" (class {JavaClass}), not marked as ignorable", childPath);
            }

            result[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? null : NormalizeValue(property.Value, field, childPath);
        }

        return result;
    }

    private static JsonNode? NormalizeValue(JsonElement value, QboField field, string path)
    {
        switch (field.Kind)
        {
            case QboKind.String:
                var text = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!,
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => throw QboFaults.InvalidProperty($"Can not deserialize instance of java.lang.String out of {Token(value)} token", path),
                };
                if (field.MaxLength > 0 && text.Length > field.MaxLength)
                {
                    throw QboFaults.StringLength(path, field.MaxLength, text.Length);
                }

                return JsonValue.Create(text);

            case QboKind.Decimal:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
                {
                    return JsonValue.Create(number);
                }

                if (value.ValueKind == JsonValueKind.String
                    && decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                {
                    return JsonValue.Create(parsed);
                }

                throw value.ValueKind == JsonValueKind.String
                    ? QboFaults.InvalidProperty($"Can not construct instance of java.math.BigDecimal from String value '{value.GetString()}': not a valid representation", path)
                    : QboFaults.InvalidProperty($"Can not deserialize instance of java.math.BigDecimal out of {Token(value)} token", path);

            case QboKind.Integer:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var integer))
                {
                    return JsonValue.Create(integer);
                }

                if (value.ValueKind == JsonValueKind.String
                    && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsedInteger))
                {
                    return JsonValue.Create(parsedInteger);
                }

                throw QboFaults.InvalidProperty($"Can not construct instance of java.math.BigInteger from {Token(value)} value '{Raw(value)}': not a valid representation", path);

            case QboKind.Boolean:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    return JsonValue.Create(value.GetBoolean());
                }

                if (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var flag))
                {
                    return JsonValue.Create(flag);
                }

                throw QboFaults.InvalidProperty($"Can not construct instance of java.lang.Boolean from {Token(value)} value '{Raw(value)}': only \"true\" or \"false\" recognized", path);

            case QboKind.Date:
                if (value.ValueKind == JsonValueKind.String && TryParseDate(value.GetString()!, out var date))
                {
                    return JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }

                throw QboFaults.InvalidProperty($"Can not construct instance of java.util.Date from {Token(value)} value '{Raw(value)}': not a valid representation", path);

            case QboKind.Object:
                return field.Schema!.Normalize(value, path);

            case QboKind.Array:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    throw QboFaults.InvalidProperty($"Can not deserialize instance of java.util.ArrayList out of {Token(value)} token", path);
                }

                var array = new JsonArray();
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    array.Add(item.ValueKind == JsonValueKind.Null ? null : NormalizeValue(item, field.Element!, $"{path}[{index}]"));
                    index++;
                }

                return array;

            default:
                return JsonNode.Parse(value.GetRawText());
        }
    }

    /// <summary>A QuickBooks date: <c>yyyy-MM-dd</c>, or a date-time whose date part is taken.</summary>
    public static bool TryParseDate(string text, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) && text.Contains('T', StringComparison.Ordinal))
        {
            date = DateOnly.FromDateTime(moment.DateTime);
            return true;
        }

        return false;
    }

    private static string Raw(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string Token(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "START_OBJECT",
        JsonValueKind.Array => "START_ARRAY",
        JsonValueKind.String => "VALUE_STRING",
        JsonValueKind.Number => "VALUE_NUMBER",
        JsonValueKind.True => "VALUE_TRUE",
        JsonValueKind.False => "VALUE_FALSE",
        _ => "VALUE_NULL",
    };
}
