using System.Text.Json;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>
/// The platform's payment events by their names on the wire (the webhook's and the plain-JSON queue's <c>type</c>),
/// with their data in camelCase JSON.
/// </summary>
public static class PlatformEventTypes
{
    public const string Processed = "payment.processed";
    public const string Failed = "payment.failed";
    public const string Refunded = "payment.refunded";
    public const string ChargedBack = "payment.charged_back";

    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        [Processed] = typeof(PaymentProcessed),
        [Failed] = typeof(PaymentFailed),
        [Refunded] = typeof(PaymentRefunded),
        [ChargedBack] = typeof(PaymentChargedBack),
    };

    /// <summary>The names, for error messages.</summary>
    public static string Names => string.Join(", ", Types.Keys);

    /// <summary>The event a type name and its data describe; <see cref="JsonException"/> when either is wrong.</summary>
    public static object Read(string? type, JsonElement data, JsonSerializerOptions options)
    {
        if (type is null || !Types.TryGetValue(type, out var clrType))
        {
            throw new JsonException($"Unknown event type '{type}'; expected one of {Names}.");
        }

        return data.Deserialize(clrType, options) ?? throw new JsonException("data is empty");
    }
}
