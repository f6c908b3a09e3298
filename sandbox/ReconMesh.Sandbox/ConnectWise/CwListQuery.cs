using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// What a list answers: the page's rows (the site's cached renderings, or projections of them: written out, never
/// changed) and the headers (<c>Link</c>, <c>pagination-type</c>) that go with them.
/// </summary>
internal sealed record CwPage(IReadOnlyList<JsonNode> Rows, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// The common list parameters: <c>conditions</c>, <c>childConditions</c>, <c>customFieldConditions</c> (accepted,
/// custom fields are not simulated), <c>orderBy</c>, <c>fields</c>, <c>page</c>, <c>pageSize</c> (default 25, max
/// 1000) and <c>pageId</c>. Navigable paging answers <c>Link</c> rels first/prev/next/last; forward-only paging
/// (<c>pageId</c>, or the request header <c>pagination-type: forward-only</c>) reads <c>id &gt; pageId</c> in id order
/// and links only the next page.
/// </summary>
internal sealed class CwListQuery
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 1000;

    private readonly CwCondition? _conditions;
    private readonly CwCondition? _childConditions;
    private readonly List<(string Path, CwFieldType Type, bool Descending)> _orderBy = [];
    private readonly List<string[]> _fields = [];
    private readonly CwNarrowing _narrowing = new();

    private CwListQuery(IQueryCollection query, CwFieldMap map, bool countOnly)
    {
        _conditions = CwCondition.Parse(query["conditions"].ToString(), map);
        _childConditions = CwCondition.Parse(query["childConditions"].ToString(), map);
        _conditions?.Narrow(_narrowing);
        _childConditions?.Narrow(_narrowing);
        if (countOnly)
        {
            return;
        }

        foreach (var part in query["orderBy"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var direction = words.Length > 1 ? words[1].ToUpperInvariant() : "ASC";
            if (words.Length > 2 || direction is not ("ASC" or "DESC"))
            {
                throw CwErrors.BadRequest($"orderBy '{part}' is invalid: use 'field asc' or 'field desc'.");
            }

            if (!map.TryResolve(words[0], out var path, out var type))
            {
                throw CwErrors.BadRequest($"orderBy: cannot find field '{words[0]}' on {map.Resource}.");
            }

            _orderBy.Add((path, type, direction == "DESC"));
        }

        foreach (var field in query["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            _fields.Add(field.Split('/', StringSplitOptions.RemoveEmptyEntries));
        }

        PageSize = ParsePositive(query, "pageSize", DefaultPageSize);
        if (PageSize > MaxPageSize)
        {
            throw CwErrors.BadRequest($"pageSize {PageSize} is invalid: the maximum page size is {MaxPageSize}.");
        }

        Page = ParsePositive(query, "page", 1);
        var pageId = query["pageId"].ToString().Trim();
        if (pageId.Length > 0)
        {
            if (!int.TryParse(pageId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || id < 0)
            {
                throw CwErrors.BadRequest($"pageId '{pageId}' is invalid: it must be a record id.");
            }

            PageId = id;
        }
    }

    public int Page { get; }

    public int PageSize { get; }

    public int? PageId { get; }

    public static CwListQuery ForList(HttpRequest request, CwFieldMap map)
    {
        var query = new CwListQuery(request.Query, map, countOnly: false);
        query.ForwardOnly = query.PageId is not null
            || string.Equals(request.Headers["pagination-type"].ToString().Trim(), "forward-only", StringComparison.OrdinalIgnoreCase);
        return query;
    }

    /// <summary>Forward-only paging: rows with <c>id &gt; pageId</c> in id order, a <c>next</c> link only.</summary>
    public bool ForwardOnly { get; private set; }

    /// <summary>
    /// Whether a record with this id, last update and company (null: it has none) can be on this list at all (the
    /// conditions' bounds, and a forward-only page's start), so that the others need not be rendered to JSON.
    /// </summary>
    public bool Admits(int id, DateTimeOffset lastUpdated, int? companyId) =>
        _narrowing.Admits(id, lastUpdated, companyId) && (!ForwardOnly || id > (PageId ?? 0));

    public static CwListQuery ForCount(HttpRequest request, CwFieldMap map) => new(request.Query, map, countOnly: true);

    public bool Matches(JsonObject row) =>
        (_conditions is null || _conditions.Matches(row)) && (_childConditions is null || _childConditions.Matches(row));

    public int Count(IEnumerable<JsonObject> rows) => rows.Count(Matches);

    /// <summary>
    /// One page of <paramref name="rows"/>. With <paramref name="admittedInIdOrder"/> the rows were already narrowed by
    /// <see cref="Admits"/> (so, forward-only, all come after pageId) and sorted by id, from the records themselves.
    /// </summary>
    public CwPage Run(IEnumerable<JsonObject> rows, HttpRequest request, bool admittedInIdOrder = false)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (ForwardOnly)
        {
            // Id order first, then the conditions, only until the page (and one more row, for the link) is full.
            var after = PageId ?? 0;
            var inIdOrder = admittedInIdOrder ? rows : rows.Where(r => Id(r) > after).OrderBy(Id);
            var ordered = inIdOrder.Where(Matches).Take(PageSize + 1).ToList();
            var page = ordered.Take(PageSize).ToList();
            headers["pagination-type"] = "forward-only";
            if (ordered.Count > PageSize)
            {
                headers["Link"] = $"<{Url(request, ("pageId", Id(page[^1])))}>; rel=\"next\"";
            }

            return new CwPage(Project(page), headers);
        }

        var all = Order(rows.Where(Matches)).ToList();
        var lastPage = Math.Max(1, (all.Count + PageSize - 1) / PageSize);
        var rowsOfPage = all.Skip((int)Math.Min(int.MaxValue, (long)(Page - 1) * PageSize)).Take(PageSize).ToList();
        var links = new List<string>();
        if (Page > 1)
        {
            links.Add($"<{Url(request, ("page", 1))}>; rel=\"first\"");
            links.Add($"<{Url(request, ("page", Math.Min(Page - 1, lastPage)))}>; rel=\"prev\"");
        }

        if (Page < lastPage)
        {
            links.Add($"<{Url(request, ("page", Page + 1))}>; rel=\"next\"");
            links.Add($"<{Url(request, ("page", lastPage))}>; rel=\"last\"");
        }

        if (links.Count > 0)
        {
            headers["Link"] = string.Join(", ", links);
        }

        return new CwPage(Project(rowsOfPage), headers);
    }

    private IEnumerable<JsonObject> Order(IEnumerable<JsonObject> rows)
    {
        if (_orderBy.Count == 0)
        {
            return rows.OrderBy(Id);
        }

        IOrderedEnumerable<JsonObject>? ordered = null;
        foreach (var (path, type, descending) in _orderBy)
        {
            var comparer = Comparer<object?>.Create(CompareNullsFirst);
            object? Key(JsonObject row) => CwCondition.Typed(CwCondition.Resolve(row, path).FirstOrDefault(), type);
            ordered = ordered is null
                ? (descending ? rows.OrderByDescending(Key, comparer) : rows.OrderBy(Key, comparer))
                : (descending ? ordered.ThenByDescending(Key, comparer) : ordered.ThenBy(Key, comparer));
        }

        return ordered!.ThenBy(Id);
    }

    private static int CompareNullsFirst(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        _ => CwCondition.Compare(a, b),
    };

    private List<JsonNode> Project(List<JsonObject> rows) => _fields.Count == 0 ? [.. rows] : [.. rows.Select(Select)];

    /// <summary>Keeps only the requested <c>fields</c> (nested ones as <c>company/name</c>), in the entity's order.</summary>
    private JsonObject Select(JsonObject row)
    {
        var result = new JsonObject();
        foreach (var path in _fields)
        {
            JsonNode? source = row;
            var target = result;
            for (var i = 0; i < path.Length; i++)
            {
                if (source is not JsonObject sourceObject)
                {
                    break;
                }

                var key = sourceObject.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, path[i], StringComparison.OrdinalIgnoreCase));
                if (key is null)
                {
                    break;
                }

                source = sourceObject[key];
                if (i == path.Length - 1 || source is not JsonObject)
                {
                    target[key] = source?.DeepClone();
                    break;
                }

                if (target[key] is not JsonObject nested)
                {
                    nested = [];
                    target[key] = nested;
                }

                target = nested;
            }
        }

        return result;
    }

    public static int Id(JsonObject row) => row["id"]?.GetValue<int>() ?? 0;

    private static int ParsePositive(IQueryCollection query, string name, int fallback)
    {
        var text = query[name].ToString().Trim();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            throw CwErrors.BadRequest($"{name} '{text}' is invalid: it must be a whole number of at least 1.");
        }

        return value;
    }

    /// <summary>The request's own URL with its other parameters kept and the paging ones replaced (ending <c>pageSize=…&amp;page=…</c>).</summary>
    private string Url(HttpRequest request, (string Name, int Value) position)
    {
        var url = new StringBuilder();
        url.Append(request.Scheme).Append("://").Append(request.Host.Value).Append(request.PathBase.Value).Append(request.Path.Value);
        var separator = '?';
        foreach (var (key, values) in request.Query)
        {
            if (key.ToUpperInvariant() is "PAGE" or "PAGESIZE" or "PAGEID")
            {
                continue;
            }

            foreach (var value in values)
            {
                url.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
                separator = '&';
            }
        }

        url.Append(separator).Append("pageSize=").Append(PageSize.ToString(CultureInfo.InvariantCulture));
        url.Append('&').Append(position.Name).Append('=').Append(position.Value.ToString(CultureInfo.InvariantCulture));
        return url.ToString();
    }
}
