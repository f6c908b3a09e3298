using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// The list parameters Xero's collections share: <c>where</c>, <c>order</c>, <c>page</c> (1-based; 100 a page unless
/// <c>pageSize</c>, at most 1000), <c>IDs</c> and the <c>If-Modified-Since</c> header (records updated at or after it).
/// Without <c>page</c> everything that matches comes back, unpaged, as in Xero. Every input is bounded.
/// </summary>
internal sealed class XeroListQuery<T>(HttpRequest request, IReadOnlyDictionary<string, XeroField<T>> fields, string typeName)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    public const int MaxListEntries = 1000;

    public IEnumerable<T> Apply(IEnumerable<T> records, Func<T, DateTimeOffset> updated, Func<T, Guid> id)
    {
        var query = records;
        if (request.Headers.IfModifiedSince.ToString() is { Length: > 0 } header)
        {
            if (!XeroDates.TryParseModifiedSince(header, out var since))
            {
                throw XeroErrors.QueryParse("The If-Modified-Since header is not a valid date");
            }

            query = query.Where(r => updated(r) >= since);
        }

        if (request.Query["where"].ToString() is { Length: > 0 } where)
        {
            var filter = XeroWhereParser<T>.Parse(where, fields, typeName);
            query = query.Where(r => filter(r));
        }

        if (Guids("IDs") is { } ids)
        {
            query = query.Where(r => ids.Contains(id(r)));
        }

        return Order(query, updated, id);
    }

    /// <summary>The page asked for, or null for an unpaged list.</summary>
    public (int Page, int PageSize)? Paging()
    {
        var text = request.Query["page"].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        var page = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 ? number : 1;
        var sizeText = request.Query["pageSize"].ToString();
        var size = sizeText.Length == 0 ? DefaultPageSize
            : int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked >= 1 ? Math.Min(asked, MaxPageSize)
            : DefaultPageSize;
        return (page, size);
    }

    /// <summary>Cuts a page out of the ordered records (all of them when unpaged) and says how many pages there are.</summary>
    public (List<T> Items, XeroPage? Page) Page(IEnumerable<T> ordered)
    {
        if (Paging() is not var (page, size))
        {
            return ([.. ordered], null);
        }

        var all = ordered.ToList();
        var pageCount = (all.Count + size - 1) / size;
        return ([.. all.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * size)).Take(size)], new XeroPage(page, size, pageCount, all.Count));
    }

    /// <summary>A comma-separated parameter of GUIDs (at most <see cref="MaxListEntries"/>), or null when absent.</summary>
    public HashSet<Guid>? Guids(string name)
    {
        if (Strings(name) is not { } values)
        {
            return null;
        }

        return [.. values.Select(v => Guid.TryParse(v, out var id) ? id
            : throw XeroErrors.QueryParse("Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)."))];
    }

    /// <summary>A comma-separated parameter (at most <see cref="MaxListEntries"/> entries of 255 characters), or null when absent.</summary>
    public HashSet<string>? Strings(string name)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (values.Length > MaxListEntries || values.Any(v => v.Length > XeroOrganisation.MaxTextLength))
        {
            throw XeroErrors.QueryParse($"{name} must list at most {MaxListEntries} values of at most {XeroOrganisation.MaxTextLength} characters");
        }

        return new HashSet<string>(values, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary><c>order=Field [ASC|DESC]</c> on a known field; by default UpdatedDateUTC then the id, oldest first.</summary>
    private IEnumerable<T> Order(IEnumerable<T> query, Func<T, DateTimeOffset> updated, Func<T, Guid> id)
    {
        var text = request.Query["order"].ToString().Trim();
        if (text.Length == 0)
        {
            return query.OrderBy(r => updated(r)).ThenBy(r => id(r));
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var descending = parts.Length == 2 && parts[1].Equals("DESC", StringComparison.OrdinalIgnoreCase);
        if (parts.Length > 2 || (parts.Length == 2 && !descending && !parts[1].Equals("ASC", StringComparison.OrdinalIgnoreCase)))
        {
            throw XeroErrors.QueryParse("Syntax error");
        }

        var field = fields.GetValueOrDefault(parts[0])
            ?? throw XeroErrors.QueryParse($"No property or field '{parts[0][..Math.Min(parts[0].Length, 100)]}' exists in type '{typeName}'");
        var read = field.Read;
        var comparer = Comparer<object?>.Create(CompareValues);
        var ordered = descending ? query.OrderByDescending(r => read(r), comparer) : query.OrderBy(r => read(r), comparer);
        return ordered.ThenBy(r => id(r));
    }

    private static int CompareValues(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (string x, string y) => string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
        _ => ((IComparable)a).CompareTo(b),
    };
}
