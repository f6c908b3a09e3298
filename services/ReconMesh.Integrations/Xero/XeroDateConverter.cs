using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReconMesh.Integrations.Xero;

/// <summary>
/// Xero's JSON dates: Microsoft's <c>/Date(1796083200000+0000)/</c> (milliseconds since 1970, UTC), and the ISO form
/// Xero also uses for its <c>…String</c> copies. Anything else fails the answer as unreadable.
/// </summary>
public sealed class XeroDateConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("A Xero date is null");
        if (text.StartsWith("/Date(", StringComparison.Ordinal) && text.EndsWith(")/", StringComparison.Ordinal))
        {
            var inner = text[6..^2];
            var end = inner.IndexOfAny(['+', '-'], 1);
            var millis = end < 0 ? inner : inner[..end];
            if (long.TryParse(millis, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
                && ms is >= -62_135_596_800_000 and <= 253_402_300_799_999)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(ms);
            }
        }
        else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var iso))
        {
            return iso;
        }

        throw new JsonException($"'{(text.Length > 40 ? text[..40] + "…" : text)}' is not a Xero date");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
    }
}
