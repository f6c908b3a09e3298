using System.Globalization;
using System.Text.Json;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// A parsed search: <c>{"filter":[…], "MaxRecords": 1-500, "IncludeFields": ["…"]}</c> (key names ignoring case).
/// Filter items are <c>{"op","field","value"}</c> or groups <c>{"op":"and"|"or","items":[…]}</c>; operators are
/// <c>eq, noteq, gt, gte, lt, lte, beginsWith, endsWith, contains, exist, notExist, in, notIn</c>. At most 500 OR
/// conditions, as Autotask documents; at most 2,000 conditions and 32 levels in all (the simulator's bound).
/// </summary>
internal sealed record AutotaskQuery(AutotaskCondition Filter, int MaxRecords, IReadOnlyList<AutotaskField>? IncludeFields)
{
    public const int PageMax = 500;
    private const int MaxOrConditions = 500;
    private const int MaxConditions = 2000;

    private static readonly HashSet<string> Operators =
        ["eq", "noteq", "gt", "gte", "lt", "lte", "beginswith", "endswith", "contains", "exist", "notexist", "in", "notin"];

    /// <summary>Parses the search JSON; throws an <see cref="AutotaskApiException"/> with Autotask's error shape when it is not a valid query.</summary>
    public static AutotaskQuery Parse(AutotaskEntity entity, string? search)
    {
        if (string.IsNullOrWhiteSpace(search))
        {
            throw AutotaskErrors.Error(AutotaskMessages.SearchRequired);
        }

        using (var document = ParseJson(System.Text.Encoding.UTF8.GetBytes(search), 64, AutotaskMessages.SearchNotJson))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Property(root, "filter") is not { ValueKind: JsonValueKind.Array } filter
                || filter.GetArrayLength() == 0)
            {
                throw AutotaskErrors.Error(AutotaskMessages.SearchRequired);
            }

            var counts = new int[2];
            var condition = new AutotaskGroup(false, [.. filter.EnumerateArray().Select(i => Item(entity, i, 1, counts))]);
            var max = PageMax;
            if (Property(root, "MaxRecords") is { ValueKind: not JsonValueKind.Null } maxRecords
                && (!maxRecords.TryGetInt32(out max) || max < 1 || max > PageMax))
            {
                throw AutotaskErrors.Error(AutotaskMessages.BadMaxRecords);
            }

            return new AutotaskQuery(condition, max, ParseIncludeFields(entity, Property(root, "IncludeFields")));
        }
    }

    private static AutotaskCondition Item(AutotaskEntity entity, JsonElement item, int depth, int[] counts)
    {
        if (++counts[0] > MaxConditions || depth > 32 || item.ValueKind != JsonValueKind.Object)
        {
            throw AutotaskErrors.Error(item.ValueKind != JsonValueKind.Object ? AutotaskMessages.SearchRequired : "The filter has too many conditions.");
        }

        var op = Property(item, "op") is { ValueKind: JsonValueKind.String } o ? o.GetString()!.ToLowerInvariant() : "";
        if (op is "and" or "or")
        {
            if (Property(item, "items") is not { ValueKind: JsonValueKind.Array } items || items.GetArrayLength() == 0)
            {
                throw AutotaskErrors.Error(AutotaskMessages.BadValue(op, op));
            }

            if (op == "or" && (counts[1] += items.GetArrayLength()) > MaxOrConditions)
            {
                throw AutotaskErrors.Error(AutotaskMessages.TooManyOrs);
            }

            return new AutotaskGroup(op == "or", [.. items.EnumerateArray().Select(i => Item(entity, i, depth + 1, counts))]);
        }

        if (!Operators.Contains(op))
        {
            throw AutotaskErrors.Error(AutotaskMessages.UnknownOperator(Property(item, "op")?.ToString() ?? ""));
        }

        var name = Property(item, "field") is { ValueKind: JsonValueKind.String } f ? f.GetString()! : "";
        var isUdf = Property(item, "udf") is { ValueKind: JsonValueKind.True };
        var field = isUdf ? null : entity.Field(name);
        if (field is null)
        {
            throw AutotaskErrors.Error(AutotaskMessages.UnknownField(entity, name));
        }

        if (!field.Queryable)
        {
            throw AutotaskErrors.Error(AutotaskMessages.NotQueryable(entity, field.Name));
        }

        return new AutotaskComparison(op, field, Values(op, field, Property(item, "value")));
    }

    private static object[] Values(string op, AutotaskField field, JsonElement? value)
    {
        if (op is "exist" or "notexist")
        {
            return [];
        }

        var text = op is "beginswith" or "endswith" or "contains";
        if (text && field.Kind != AutotaskFieldKind.String)
        {
            throw AutotaskErrors.Error(AutotaskMessages.BadValue(field.Name, op));
        }

        if (op is "in" or "notin")
        {
            if (value is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() is 0 or > MaxConditions)
            {
                throw AutotaskErrors.Error(AutotaskMessages.BadValue(field.Name, op));
            }

            return [.. list.EnumerateArray().Select(v => Convert(field, v, op))];
        }

        return value is { } single ? [Convert(field, single, op)] : throw AutotaskErrors.Error(AutotaskMessages.BadValue(field.Name, op));
    }

    /// <summary>A filter value as the field's type: numbers from numbers or numeric text, booleans only from true/false, dates from ISO text.</summary>
    private static object Convert(AutotaskField field, JsonElement value, string op)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        object? converted = text is null ? null : field.Kind switch
        {
            AutotaskFieldKind.Integer or AutotaskFieldKind.Long => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null,
            AutotaskFieldKind.Decimal => decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) ? d : null,
            AutotaskFieldKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null,
            AutotaskFieldKind.DateTime => AutotaskWire.ParseDate(text),
            _ => text,
        };
        return converted ?? throw AutotaskErrors.Error(AutotaskMessages.BadValue(field.Name, op));
    }

    private static List<AutotaskField>? ParseIncludeFields(AutotaskEntity entity, JsonElement? include)
    {
        if (include is not { ValueKind: JsonValueKind.Array } names || names.GetArrayLength() == 0)
        {
            return null;
        }

        var fields = new List<AutotaskField>();
        foreach (var name in names.EnumerateArray())
        {
            var text = name.ValueKind == JsonValueKind.String ? name.GetString()! : name.GetRawText();
            var field = entity.Field(text) ?? throw AutotaskErrors.Error(AutotaskMessages.UnknownField(entity, text));
            if (!fields.Contains(field))
            {
                fields.Add(field);
            }
        }

        return fields;
    }

    /// <summary>
    /// The JSON document, or Autotask's error with <paramref name="problem"/> when it is not JSON. Like Autotask's parser
    /// (Json.NET), strings may be in single quotes: <c>{'filter':[{'op':'exist','field':'IsActive'}]}</c> is a search.
    /// </summary>
    public static JsonDocument ParseJson(byte[] json, int maxDepth, string problem)
    {
        var options = new JsonDocumentOptions { MaxDepth = maxDepth };
        try
        {
            return JsonDocument.Parse(json, options);
        }
        catch (JsonException)
        {
        }

        try
        {
            return JsonDocument.Parse(DoubleQuoted(System.Text.Encoding.UTF8.GetString(json)), options);
        }
        catch (JsonException)
        {
            throw AutotaskErrors.Error(problem);
        }
    }

    /// <summary>The text with its single-quoted strings double-quoted (double quotes inside them escaped); double-quoted strings kept.</summary>
    private static string DoubleQuoted(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is null)
            {
                quote = c is '"' or '\'' ? c : null;
                result.Append(c == '\'' ? '"' : c);
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                result.Append(quote == '\'' && text[i + 1] == '\'' ? "'" : text.Substring(i, 2));
                i++;
            }
            else if (c == quote)
            {
                quote = null;
                result.Append('"');
            }
            else
            {
                result.Append(c == '"' ? "\\\"" : c.ToString());
            }
        }

        return result.ToString();
    }

    /// <summary>A property of an object, its name ignoring case.</summary>
    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
