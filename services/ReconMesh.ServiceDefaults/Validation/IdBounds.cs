using System.Globalization;

namespace ReconMesh.ServiceDefaults.Validation;

/// <summary>
/// The one place where the lengths and characters of the ids that enter ReconMesh are bounded: tenant ids (routes,
/// tokens, webhooks, bus messages, connections) and external ids (the platform's payment, refund, chargeback and
/// payout ids; the integrations' invoice, customer and document numbers). Whatever comes in past a door is checked
/// here, so a hostile value (an id of a megabyte, control characters) is refused where it enters, with its length
/// named and its value not repeated.
/// </summary>
public static class IdBounds
{
    /// <summary>A tenant id: 1 to 64 characters of <c>[A-Za-z0-9._-]</c>.</summary>
    public const int MaxTenantIdLength = 64;

    /// <summary>An external id: 1 to 100 printable characters (no control characters).</summary>
    public const int MaxExternalIdLength = 100;

    public const string TenantIdRule = "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'";

    public const string ExternalIdRule = "1 to 100 printable characters";

    public static bool IsTenantId(string? value) =>
        value is { Length: > 0 and <= MaxTenantIdLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    public static bool IsExternalId(string? value)
    {
        if (value is not { Length: > 0 and <= MaxExternalIdLength } || string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]))
            {
                return false;
            }

            if (char.IsSurrogate(value[i]))
            {
                // A pair is one printable character; a lone half is not text at all.
                if (!char.IsSurrogatePair(value, i))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    /// <summary>Why <paramref name="value"/> is not a tenant id, or null when it is.</summary>
    public static string? TenantIdProblem(string? value) =>
        IsTenantId(value) ? null : $"the tenant id {Shown(value)} is not {TenantIdRule}";

    /// <summary>Why <paramref name="value"/> is not a bounded external id (<paramref name="what"/> names it, e.g. "the invoice id"), or null.</summary>
    public static string? ExternalIdProblem(string what, string? value) =>
        IsExternalId(value) ? null : $"{what} {Shown(value)} is not {ExternalIdRule}";

    /// <summary>
    /// A value as it may be repeated in a message or recorded: itself when it is short and printable, else its start
    /// and its length (an id of a megabyte is never copied into an answer, a log or an event).
    /// </summary>
    public static string Shown(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        if (value.Length == 0)
        {
            return "(empty)";
        }

        var printable = new string([.. value.Take(24).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c)]);
        return value.Length <= 24 && printable == value
            ? $"'{value}'"
            : $"'{printable}…' ({value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)";
    }
}
