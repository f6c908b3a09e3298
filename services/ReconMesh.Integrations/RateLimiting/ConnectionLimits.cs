using ReconMesh.Contracts;
using ReconMesh.Integrations.Autotask;
using ReconMesh.Integrations.ConnectWise;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.Integrations.RateLimiting;

/// <summary>
/// The budget a connection's calls are paced to, as its client factory applies it: the connection's own limits when
/// it was added with some, otherwise its integration's published ones (or, for Autotask, its share of the database's).
/// </summary>
public static class ConnectionLimits
{
    /// <summary>The limiter's key for the account the connection's calls count against (a QuickBooks company, a Xero organisation, ...).</summary>
    public static string Key(ConnectionSettings connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Kind switch
        {
            IntegrationKind.QuickBooksOnline => $"qbo:{connection.RealmId}",
            IntegrationKind.Xero => $"xero:{connection.XeroTenantId}",
            IntegrationKind.ConnectWisePsa => ConnectWiseClientFactory.LimitKey(connection),
            IntegrationKind.AutotaskPsa => AutotaskClientFactory.LimitKey(connection),
            _ => $"{connection.Kind}:{connection.Id}",
        };
    }

    /// <summary>The limits applied, and whether they are the connection's own (<c>true</c>) or its integration's default.</summary>
    public static (ApiLimits Limits, bool OwnLimits) Of(ConnectionSettings connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.Limits is { } own)
        {
            return (own, true);
        }

        return (connection.Kind switch
        {
            IntegrationKind.QuickBooksOnline => ApiLimits.QuickBooksOnline,
            IntegrationKind.Xero => ApiLimits.Xero,
            IntegrationKind.ConnectWisePsa => ConnectWiseClientFactory.DefaultLimits,
            IntegrationKind.AutotaskPsa => AutotaskClientFactory.Limits(connection),
            _ => new ApiLimits(0, 0),
        }, false);
    }
}
