using ReconMesh.Contracts;
using ReconMesh.Integrations.Http;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.Integrations.Connections;

/// <summary>The settings only an Autotask PSA connection in configuration has (<see cref="ConnectionCatalog.FromConfiguration"/>).</summary>
internal static class AutotaskConfiguration
{
    /// <summary>An AutotaskPsa connection's own settings, each problem added to <paramref name="errors"/>; the zone's address when one is given.</summary>
    public static Uri? Check(Func<string, string?> value, string at, IntegrationAddressPolicy addresses, List<string> errors)
    {
        foreach (var (key, what) in new[]
        {
            ("UserName", "the API user"), ("Secret", "the API user's secret"), ("IntegrationCode", "the integration's tracking identifier, ApiIntegrationCode"),
        })
        {
            if (string.IsNullOrWhiteSpace(value(key)))
            {
                errors.Add($"{at}:{key} is missing ({what}, required for AutotaskPsa)");
            }
        }

        if (value("Currency") is { } currency && !Currencies.IsKnown(currency.ToUpperInvariant()))
        {
            errors.Add($"{at}:Currency must be an ISO 4217 code ReconMesh knows (the currency of the Autotask invoices)");
        }

        if (value("BudgetSharePercent") is { } share && (!int.TryParse(share, out var percent) || percent is < 1 or > 100))
        {
            errors.Add($"{at}:BudgetSharePercent must be 1 to 100 (the share of the database's 10,000 requests an hour ReconMesh claims)");
        }

        if (value("ZoneUrl") is not { } zone)
        {
            return null;
        }

        if (!Uri.TryCreate(zone, UriKind.Absolute, out var zoneUrl))
        {
            errors.Add($"{at}:ZoneUrl must be an absolute URL (the zone's REST address), or absent to look the zone up");
            return null;
        }

        if (addresses.HostProblem(IntegrationKind.AutotaskPsa, zoneUrl.Host) is { } problem)
        {
            errors.Add($"{at}:ZoneUrl: {problem}");
        }

        return zoneUrl;
    }
}
