using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// ConnectWise's <c>conditions</c> language: comparisons <c>path op value</c> combined with <c>and</c>/<c>or</c>
/// (any case, <c>and</c> binding tighter), <c>not</c> and parentheses. Values are quoted strings (single or double),
/// bare numbers, <c>true</c>/<c>false</c>, <c>null</c> and bracketed dates <c>[2024-01-01T00:00:00Z]</c>. Operators:
/// <c>= != &lt;&gt; &lt; &lt;= &gt; &gt;= like contains in</c>, each negatable with <c>not</c>. Nested paths use <c>/</c>; a
/// path through an array (e.g. <c>communicationItems/value</c>) matches when any element does.
/// </summary>
internal abstract class CwCondition
{
    public abstract bool Matches(JsonObject entity);

    /// <summary>Tells <paramref name="narrowing"/> what this condition requires of id and lastUpdated, if it can say.</summary>
    public virtual void Narrow(CwNarrowing narrowing)
    {
    }

    /// <summary>Parses and type-checks a conditions string; null for an empty one. Throws a 400 on any error.</summary>
    public static CwCondition? Parse(string? text, CwFieldMap fields)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parser = new CwConditionParser(text, fields);
        return parser.ParseAll();
    }

    /// <summary>Resolves a <c>/</c>-separated path to its values (several when it runs through an array).</summary>
    public static List<JsonNode?> Resolve(JsonObject entity, string path)
    {
        var current = new List<JsonNode?> { entity };
        foreach (var segment in path.Split('/'))
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                if (node is JsonObject obj)
                {
                    next.Add(Property(obj, segment));
                }
                else if (node is JsonArray array)
                {
                    foreach (var element in array)
                    {
                        next.Add(element is JsonObject item ? Property(item, segment) : null);
                    }
                }
            }

            current = next;
        }

        var values = new List<JsonNode?>();
        foreach (var node in current)
        {
            if (node is JsonArray array)
            {
                values.AddRange(array);
            }
            else
            {
                values.Add(node);
            }
        }

        return values;
    }

    private static JsonNode? Property(JsonObject obj, string name)
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

    public static object? Typed(JsonNode? node, CwFieldType type)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.Number when type == CwFieldType.Number:
                return decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.True or JsonValueKind.False when type == CwFieldType.Boolean:
                return value.GetValueKind() == JsonValueKind.True;
            case JsonValueKind.String when type == CwFieldType.Date:
                return CwJson.TryParseDate(value.GetValue<string>(), out var date) ? date : null;
            case JsonValueKind.String when type == CwFieldType.String:
                return value.GetValue<string>();
            default:
                return null;
        }
    }

    public static int Compare(object left, object right) => (left, right) switch
    {
        (string a, string b) => string.Compare(a, b, StringComparison.OrdinalIgnoreCase),
        (decimal a, decimal b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
        (bool a, bool b) => a.CompareTo(b),
        _ => 0,
    };
}

internal sealed class CwAnd(CwCondition left, CwCondition right) : CwCondition
{
    public override bool Matches(JsonObject entity) => left.Matches(entity) && right.Matches(entity);

    public override void Narrow(CwNarrowing narrowing)
    {
        left.Narrow(narrowing);
        right.Narrow(narrowing);
    }
}

internal sealed class CwOr(CwCondition left, CwCondition right) : CwCondition
{
    public override bool Matches(JsonObject entity) => left.Matches(entity) || right.Matches(entity);
}

internal sealed class CwNot(CwCondition inner) : CwCondition
{
    public override bool Matches(JsonObject entity) => !inner.Matches(entity);
}

internal enum CwOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Like,
    Contains,
    In,
}

/// <summary><c>path op value</c>. A null field matches only <c>= null</c> (and <c>!= null</c> matches the others), as in SQL.</summary>
internal sealed class CwComparison(string path, CwFieldType type, CwOperator op, bool negated, IReadOnlyList<object?> values) : CwCondition
{
    private readonly Regex? _like = op == CwOperator.Like && values[0] is string pattern ? LikeRegex(pattern) : null;

    // `id in (…)` of hundreds of ids: a number is looked up, not compared with each (equal decimals hash alike).
    private readonly HashSet<decimal>? _numbersIn = op == CwOperator.In && values.All(v => v is decimal) ? [.. values.Cast<decimal>()] : null;

    public override bool Matches(JsonObject entity)
    {
        var found = Resolve(entity, path).Select(n => Typed(n, type)).ToList();
        if (values.Count == 1 && values[0] is null)
        {
            var isNull = found.All(v => v is null);
            return (op == CwOperator.Equal) != negated ? isNull : !isNull;
        }

        var present = found.Where(v => v is not null).ToList();
        if (present.Count == 0)
        {
            return false;
        }

        var any = present.Any(v => Test(v!));
        return negated ? !any : any;
    }

    public override void Narrow(CwNarrowing narrowing)
    {
        if (negated)
        {
            return;
        }

        var whole = values.All(v => v is decimal d && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue);
        if (path is "id" or "company/id" && op is CwOperator.Equal or CwOperator.In && whole)
        {
            var ids = values.Select(v => (int)(decimal)v!);
            if (path == "id")
            {
                narrowing.OnlyIds(ids);
            }
            else
            {
                narrowing.OnlyCompanies(ids);
            }
        }
        else if (path == "_info/lastUpdated" && op is CwOperator.GreaterOrEqual or CwOperator.Greater or CwOperator.Equal
            && values is [DateTimeOffset since])
        {
            narrowing.NotBefore(since);
        }
    }

    private bool Test(object value) => op switch
    {
        CwOperator.Equal => Compare(value, values[0]!) == 0,
        CwOperator.NotEqual => Compare(value, values[0]!) != 0,
        CwOperator.Less => Compare(value, values[0]!) < 0,
        CwOperator.LessOrEqual => Compare(value, values[0]!) <= 0,
        CwOperator.Greater => Compare(value, values[0]!) > 0,
        CwOperator.GreaterOrEqual => Compare(value, values[0]!) >= 0,
        CwOperator.Contains => value is string text && text.Contains((string)values[0]!, StringComparison.OrdinalIgnoreCase),
        CwOperator.Like => value is string text && _like!.IsMatch(text),
        CwOperator.In when _numbersIn is not null && value is decimal number => _numbersIn.Contains(number),
        CwOperator.In => values.Any(v => v is not null && Compare(value, v) == 0),
        _ => false,
    };

    private static Regex LikeRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
