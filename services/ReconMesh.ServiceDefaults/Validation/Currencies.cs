using System.Collections.Frozen;

namespace ReconMesh.ServiceDefaults.Validation;

/// <summary>
/// ISO 4217 currencies ReconMesh accepts, with their minor-unit digits. An amount with more decimal places than its
/// currency has is rejected rather than rounded: rounding money silently is how books stop matching.
/// </summary>
public static class Currencies
{
    private static readonly FrozenDictionary<string, int> MinorUnits = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["USD"] = 2, ["CAD"] = 2, ["EUR"] = 2, ["GBP"] = 2, ["AUD"] = 2, ["NZD"] = 2, ["CHF"] = 2, ["SEK"] = 2,
        ["NOK"] = 2, ["DKK"] = 2, ["MXN"] = 2, ["ZAR"] = 2, ["SGD"] = 2, ["HKD"] = 2, ["INR"] = 2, ["PLN"] = 2,
        ["JPY"] = 0, ["KRW"] = 0, ["CLP"] = 0, ["ISK"] = 0, ["BHD"] = 3, ["KWD"] = 3, ["JOD"] = 3, ["OMR"] = 3,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsKnown(string? code) => code is not null && MinorUnits.ContainsKey(code);

    /// <summary>True when <paramref name="amount"/> needs no more decimal places than <paramref name="currency"/> has.</summary>
    public static bool FitsMinorUnits(decimal amount, string currency) =>
        MinorUnits.TryGetValue(currency, out var digits) && decimal.Round(amount, digits) == amount;
}
