using System.Globalization;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>Builds ConnectWise <c>conditions</c> with values written as it requires.</summary>
public static class ConnectWiseConditions
{
    /// <summary>ConnectWise returns at most this many rows per page.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Dates go in square brackets, in UTC: <c>[2024-01-01T00:00:00Z]</c>.</summary>
    public static string Date(DateTimeOffset value) => "[" + value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "]";

    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static string ChangedSince(DateTimeOffset since) => $"lastUpdated >= {Date(since)}";

    public static string In(string field, IEnumerable<int> ids) =>
        $"{field} in ({string.Join(",", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)))})";
}
