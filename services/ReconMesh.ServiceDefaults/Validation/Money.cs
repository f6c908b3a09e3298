namespace ReconMesh.ServiceDefaults.Validation;

/// <summary>
/// Sums of amounts from outside. Each amount fits a decimal, but their sum need not (two allocations of 7.9e28 each):
/// a validator that adds them with <c>Sum</c> throws an OverflowException instead of giving the sender a reason.
/// </summary>
public static class Money
{
    /// <summary>The sum, or null when it is larger than a decimal can hold.</summary>
    public static decimal? Sum(IEnumerable<decimal> amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        var total = 0m;
        foreach (var amount in amounts)
        {
            try
            {
                total = checked(total + amount);
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        return total;
    }

    /// <summary>Words for a sum that may have overflowed.</summary>
    public static string Describe(decimal? sum) => sum is { } value ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "more than ReconMesh can represent";
}
