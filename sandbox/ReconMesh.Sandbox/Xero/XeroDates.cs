using System.Globalization;
using System.Text.RegularExpressions;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Xero's JSON dates: Microsoft's <c>/Date(milliseconds+0000)/</c> for <c>Date</c>, <c>DueDate</c>, <c>UpdatedDateUTC</c>
/// and the response's <c>DateTimeUTC</c>, beside <c>DateString</c>-style <c>2026-12-05T00:00:00</c> copies. Requests may
/// send either form, or a plain <c>2026-12-05</c>.
/// </summary>
internal static partial class XeroDates
{
    public static string Json(DateTimeOffset value) =>
        "/Date(" + value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "+0000)/";

    public static string Json(DateOnly date) => Json(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    public static string DateString(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00";

    /// <summary>A date from a request: <c>yyyy-MM-dd</c>, <c>yyyy-MM-ddTHH:mm:ss</c> or <c>/Date(ms[+zzzz])/</c>.</summary>
    public static bool TryParseDate(string? text, out DateOnly date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        var match = MsDate().Match(text.Trim());
        if (match.Success)
        {
            if (!long.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
                || ms is < -62_135_596_800_000 or > 253_402_300_799_999)
            {
                return false;
            }

            date = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime);
            return true;
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            date = DateOnly.FromDateTime(parsed);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The <c>If-Modified-Since</c> header: Xero's clients send <c>2026-12-05T10:00:00</c> (UTC) or an HTTP date.
    /// </summary>
    public static bool TryParseModifiedSince(string? text, out DateTimeOffset since)
    {
        since = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out since);
    }

    [GeneratedRegex(@"^/Date\((-?\d{1,16})([+-]\d{4})?\)/$", RegexOptions.CultureInvariant)]
    private static partial Regex MsDate();
}
