using System.Globalization;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>The simulator's notion of "now", in the companies' time zone, and the formats QuickBooks writes times in.</summary>
internal sealed class QboClock(TimeProvider time, TimeZoneInfo zone)
{
    public TimeProvider Time { get; } = time;

    public TimeZoneInfo Zone { get; } = zone;

    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(Time.GetUtcNow(), Zone);

    public string Today => Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>MetaData times: second precision with the offset, e.g. <c>2015-07-24T10:33:39-07:00</c>.</summary>
    public static string Stamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The <c>time</c> of a response envelope: milliseconds and the offset.</summary>
    public string ResponseTime() => Now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    public string NowStamp() => Stamp(Now);

    /// <summary>Midnight of a date in the company's zone, for comparing dates with times.</summary>
    public DateTimeOffset StartOfDay(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    public static TimeZoneInfo ResolveZone(string? id)
    {
        if (!string.IsNullOrWhiteSpace(id))
        {
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id);
            }
            catch (TimeZoneNotFoundException)
            {
            }
            catch (InvalidTimeZoneException)
            {
            }
        }

        return TimeZoneInfo.Utc;
    }
}
