using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReconMesh.Sandbox.QuickBooks;

internal sealed partial class QboCompany
{
    /// <summary>
    /// Runs a query and returns the <c>QueryResponse</c> object: <c>{}</c> when nothing matches, <c>{"totalCount":n}</c>
    /// for count(*), otherwise <c>startPosition</c>, <c>maxResults</c> (rows returned) and the rows under the entity name.
    /// Deleted entities never match; voided ones do; name lists (Customer, Account, Item) show only active rows unless
    /// the query filters on Active.
    /// </summary>
    public JsonObject Query(QboQuery query)
    {
        if (!QboSchemas.Readable.TryGetValue(query.Entity, out var entity))
        {
            throw QboFaults.QueryInvalid($"Entity '{query.Entity}' is not supported by the QuickBooks simulator");
        }

        var queryable = QboSchemas.Queryable[entity];
        foreach (var path in query.Where.Select(w => w.Path).Concat(query.OrderBy.Select(o => o.Path)))
        {
            if (!queryable.Contains(path.Split('.')[0]))
            {
                throw QboFaults.QueryInvalid($"property '{path}' is not queryable");
            }
        }

        if (query.MaxResults > QboQueryParser.DefaultMaxResults)
        {
            throw QboFaults.QueryInvalid($"value {query.MaxResults} is too large. Max allowed value is: {QboQueryParser.DefaultMaxResults}");
        }

        if (query.MaxResults < 1)
        {
            throw QboFaults.QueryInvalid($"value {query.MaxResults} is too small. Min allowed value is: 1");
        }

        var onlyActive = QboSchemas.IsNameList(entity) && !query.Where.Any(w => string.Equals(w.Path, "Active", StringComparison.OrdinalIgnoreCase));
        var rows = Live(entity)
            .Where(r => !onlyActive || QboJson.GetBool(r.Doc, "Active") != false)
            .Where(r => query.Where.All(condition => Matches(r.Doc, condition)))
            .ToList();

        if (query.Count)
        {
            return new JsonObject { ["totalCount"] = rows.Count };
        }

        IOrderedEnumerable<QboRecord> ordered = rows.OrderBy(_ => 0);
        foreach (var ordering in query.OrderBy)
        {
            var comparer = Comparer<QboRecord>.Create((a, b) => CompareValues(Resolve(a.Doc, ordering.Path), Resolve(b.Doc, ordering.Path), ordering.Path));
            ordered = ordering.Descending ? ordered.ThenByDescending(r => r, comparer) : ordered.ThenBy(r => r, comparer);
        }

        var page = ordered.ThenBy(r => NumericId(r.Id))
            .Skip(query.StartPosition - 1)
            .Take(query.MaxResults)
            .Select(r => (JsonNode)r.Doc.DeepClone())
            .ToArray();
        if (page.Length == 0)
        {
            return new JsonObject();
        }

        return new JsonObject
        {
            ["startPosition"] = query.StartPosition,
            ["maxResults"] = page.Length,
            [entity] = new JsonArray(page),
        };
    }

    private bool Matches(JsonObject doc, QboCondition condition)
    {
        var actual = Resolve(doc, condition.Path);
        if (actual is null)
        {
            return false;
        }

        return condition.Operator switch
        {
            "IN" => condition.Values.Any(v => CompareToLiteral(actual, v, condition.Path) == 0),
            "LIKE" => Like(actual, condition.Values[0]),
            _ => CompareToLiteral(actual, condition.Values[0], condition.Path) is { } order && condition.Operator switch
            {
                "=" => order == 0,
                "<" => order < 0,
                ">" => order > 0,
                "<=" => order <= 0,
                ">=" => order >= 0,
                _ => false,
            },
        };
    }

    /// <summary>The value at a dotted path (any case); a reference (<c>CustomerRef</c>) stands for its <c>value</c>.</summary>
    private static JsonValue? Resolve(JsonObject doc, string path)
    {
        JsonNode? current = doc;
        foreach (var segment in path.Split('.'))
        {
            current = current is JsonObject obj ? QboJson.GetIgnoreCase(obj, segment) : null;
        }

        if (current is JsonObject reference && reference["value"] is JsonValue referenced)
        {
            return referenced;
        }

        return current as JsonValue;
    }

    /// <summary>Amounts compare as numbers, dates and times chronologically, ids numerically, other text ignoring case.</summary>
    private int? CompareToLiteral(JsonValue actual, string literal, string path)
    {
        if (actual.TryGetValue<decimal>(out var number))
        {
            return decimal.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var other) ? number.CompareTo(other) : null;
        }

        if (actual.TryGetValue<long>(out var whole))
        {
            return decimal.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var other) ? ((decimal)whole).CompareTo(other) : null;
        }

        if (actual.TryGetValue<bool>(out var flag))
        {
            return bool.TryParse(literal, out var other) ? flag.CompareTo(other) : null;
        }

        if (!actual.TryGetValue<string>(out var text))
        {
            return null;
        }

        if (TryMoment(text, out var moment))
        {
            return TryMoment(literal, out var otherMoment) ? moment.CompareTo(otherMoment)
                : QboObjectSchema.TryParseDate(literal, out var literalDay) ? moment.CompareTo(Clock.StartOfDay(literalDay))
                : null;
        }

        if (QboObjectSchema.TryParseDate(text, out var day))
        {
            return QboObjectSchema.TryParseDate(literal, out var otherDay) ? day.CompareTo(otherDay) : null;
        }

        if (IsIdentifier(path) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && long.TryParse(literal.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var otherId))
        {
            return id.CompareTo(otherId);
        }

        return string.Compare(text, literal, StringComparison.OrdinalIgnoreCase);
    }

    private static int CompareValues(JsonValue? left, JsonValue? right, string path)
    {
        if (left is null || right is null)
        {
            return (left is null ? 0 : 1) - (right is null ? 0 : 1);
        }

        if (left.TryGetValue<decimal>(out var a) && right.TryGetValue<decimal>(out var b))
        {
            return a.CompareTo(b);
        }

        if (left.TryGetValue<bool>(out var p) && right.TryGetValue<bool>(out var q))
        {
            return p.CompareTo(q);
        }

        var x = left.ToString();
        var y = right.ToString();
        if (TryMoment(x, out var mx) && TryMoment(y, out var my))
        {
            return mx.CompareTo(my);
        }

        if (IsIdentifier(path) && long.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var ix)
            && long.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var iy))
        {
            return ix.CompareTo(iy);
        }

        return string.Compare(x, y, StringComparison.OrdinalIgnoreCase);
    }

    private static bool Like(JsonValue actual, string pattern)
    {
        var text = actual.TryGetValue<string>(out var s) ? s : actual.ToString();
        var regex = "^" + string.Join(".*", pattern.Split('%').Select(Regex.Escape)) + "$";
        return Regex.IsMatch(text, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    /// <summary>A date-time with a time part (MetaData times, literals such as <c>2015-01-16T00:00:00-08:00</c>).</summary>
    private static bool TryMoment(string text, out DateTimeOffset moment)
    {
        moment = default;
        return text.Length > 10 && text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out moment);
    }

    private static bool IsIdentifier(string path) =>
        path.Equals("Id", StringComparison.OrdinalIgnoreCase) || path.EndsWith("Ref", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".value", StringComparison.OrdinalIgnoreCase);
}
