using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit.Serialization.JsonConverters;

namespace ReconMesh.ServiceDefaults.Messaging;

/// <summary>
/// The JSON of every message on the bus, as docs/contracts.md promises it to connector teams (who read it with their
/// own records, often not in .NET): camelCase names; enums as their members' names; amounts as JSON numbers with every
/// digit of the decimal (1250.00 stays 1250.00); times ISO 8601 with an offset and dates yyyy-MM-dd (System.Text.Json's
/// own formats); null fields written as null. Left alone, MassTransit writes enums as numbers and decimals as strings.
/// What publishers before this wrote (enum numbers, decimal strings) is still read, so messages already queued, or
/// sent by a service not yet upgraded, are consumed as before.
/// <para>
/// MassTransit keeps one set of options per process (<c>SystemTextJsonMessageSerializer.Options</c>, shared by every bus
/// in it, also by the raw-JSON deserializer, which only reads the platform's envelope there);
/// <c>ConfigureJsonSerializerOptions</c> replaces it with a copy passed through <see cref="Apply"/>. Applying is
/// idempotent, so a process that starts several buses (the integration tests host every service in one) ends up with
/// the same options, not with converters stacked up.
/// </para>
/// </summary>
public static class WireJson
{
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;

        // First in the list: a converter earlier in the list wins over MassTransit's for the same type.
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any())
        {
            // No naming policy: the member's name exactly as documented. Integers are still read (older publishers).
            options.Converters.Insert(0, new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: true));
        }

        foreach (var strings in options.Converters.OfType<StringDecimalJsonConverter>().ToList())
        {
            options.Converters.Remove(strings);
        }

        if (!options.Converters.OfType<DecimalAsNumberConverter>().Any())
        {
            options.Converters.Insert(0, new DecimalAsNumberConverter());
        }

        return options;
    }

    /// <summary>Writes a decimal as a JSON number with its scale; reads a number, or a string as MassTransit used to write it.</summary>
    private sealed class DecimalAsNumberConverter : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var number))
            {
                return number;
            }

            if (reader.TokenType == JsonTokenType.String
                && decimal.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }

            throw new JsonException($"Expected a decimal number, found {reader.TokenType}.");
        }

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }
}
