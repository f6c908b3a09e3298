using CsCheck;

namespace ReconMesh.UnitTests.Money;

/// <summary>Amounts as the platform sends them: whole minor units of a currency, from one unit up to large totals.</summary>
internal static class MoneyGen
{
    /// <summary>Currencies of each kind of minor unit: cents, none (yen), thousandths (dinar).</summary>
    public static readonly Gen<(string Code, int Digits)> Currency =
        Gen.OneOf(("USD", 2), ("EUR", 2), ("GBP", 2), ("CAD", 2), ("JPY", 0), ("KRW", 0), ("BHD", 3), ("KWD", 3));

    /// <summary>A count of minor units: mostly everyday amounts, sometimes the smallest (one unit) or very large.</summary>
    public static readonly Gen<long> Units = Gen.Frequency(
        (6, Gen.Long[1, 1_000_000]),
        (2, Gen.Const(1L)),
        (2, Gen.Long[1_000_000_000_000, 100_000_000_000_000]));

    /// <summary>One minor unit of a currency with <paramref name="digits"/> decimal places (0.01, 1, 0.001).</summary>
    public static decimal Unit(int digits) => Amount(1, digits);

    public static decimal Amount(long units, int digits) => units / Scale(digits);

    private static decimal Scale(int digits) => digits switch { 0 => 1m, 1 => 10m, 2 => 100m, 3 => 1000m, _ => 10000m };
}
