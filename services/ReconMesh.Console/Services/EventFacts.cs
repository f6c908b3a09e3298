using System.Globalization;
using System.Text.Json;

namespace ReconMesh.OperatorConsole.Services;

/// <summary>
/// An event's data as a short list of facts a person reads (its ids, amounts, reasons, who and when), in the order the
/// service wrote them: scalars and lists of scalars, each value cut to <see cref="MaxValueLength"/> characters. Ids the
/// page already shows (the payment's, the tenant's) are left out; nested objects are summarised by their own scalars.
/// </summary>
public static class EventFacts
{
    public const int MaxValueLength = 200;
    private const int MaxFacts = 30;
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase) { "meshPaymentId", "tenantId", "paymentId" };

    public static IReadOnlyList<(string Name, string Value)> Of(JsonElement data)
    {
        var facts = new List<(string, string)>();
        Collect(data, "", facts);
        return facts;
    }

    private static void Collect(JsonElement data, string prefix, List<(string, string)> facts)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in data.EnumerateObject())
        {
            if (facts.Count >= MaxFacts || Known.Contains(property.Name))
            {
                continue;
            }

            var name = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    Collect(property.Value, name, facts);
                    break;
                case JsonValueKind.Array:
                    var items = property.Value.EnumerateArray().Where(v => v.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)).Select(Text).ToList();
                    if (items.Count > 0)
                    {
                        facts.Add((name, Cut(string.Join(", ", items))));
                    }

                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    facts.Add((name, Cut(Text(property.Value))));
                    break;
            }
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.TryGetDecimal(out var d) ? d.ToString(CultureInfo.InvariantCulture) : value.GetRawText(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => value.GetRawText(),
    };

    private static string Cut(string value)
    {
        var printable = new string([.. value.Where(c => !char.IsControl(c))]);
        return printable.Length > MaxValueLength ? printable[..MaxValueLength] + "…" : printable;
    }

    /// <summary>An event's stored name as words: <c>writeback_needs_attention</c> becomes "writeback needs attention".</summary>
    public static string Words(string eventName) => (eventName ?? "").Replace('_', ' ');
}
