using System.Globalization;
using System.Text.Json.Serialization;

namespace ReconMesh.Integrations.Autotask;

/// <summary>
/// A query's body: <c>{"filter":[…], "MaxRecords": 1-500, "IncludeFields": [...]}</c>. The filter's items are ANDed;
/// each is a condition (<c>{"op","field","value"}</c>) or a group (<c>{"op":"or","items":[…]}</c>).
/// </summary>
public sealed record AutotaskSearch(
    [property: JsonPropertyName("filter")] IReadOnlyList<AutotaskFilter> Filter,
    [property: JsonPropertyName("MaxRecords")] int? MaxRecords = null,
    [property: JsonPropertyName("IncludeFields")] IReadOnlyList<string>? IncludeFields = null);

/// <summary>One item of a filter: a comparison of a field with a value, or an <c>and</c>/<c>or</c> group of items.</summary>
public sealed record AutotaskFilter(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("field")] string? Field = null,
    [property: JsonPropertyName("value")] object? Value = null,
    [property: JsonPropertyName("items")] IReadOnlyList<AutotaskFilter>? Items = null)
{
    public static AutotaskFilter Eq(string field, object value) => new("eq", field, value);

    public static AutotaskFilter Gt(string field, long value) => new("gt", field, value);

    public static AutotaskFilter Gte(string field, DateTimeOffset value) => new("gte", field, Date(value));

    public static AutotaskFilter NotExist(string field) => new("notExist", field);

    public static AutotaskFilter In(string field, IEnumerable<long> values) => new("in", field, values.ToArray());

    public static AutotaskFilter Or(params AutotaskFilter[] items) => new("or", Items: items);

    /// <summary>An instant as Autotask's filters take it: ISO 8601 in UTC.</summary>
    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
