using System.Net.Http.Headers;
using Refit;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.Integrations.Xero;

/// <summary>
/// Builds an <see cref="IXeroApi"/> for one connection: its base address, its bearer token and its organisation
/// (<c>xero-tenant-id</c>), through the integration pipeline (<see cref="IntegrationResilience"/>): answers bounded in
/// size, reads retried with <c>Retry-After</c> honoured, every attempt admitted by the rate limiter of the organisation.
/// Every error answer arrives as a <see cref="XeroException"/>.
/// </summary>
public sealed class XeroClientFactory(IHttpMessageHandlerFactory handlers, IntegrationResilience resilience)
{
    public const string HttpClientName = "xero";
    public const string TenantHeader = "xero-tenant-id";

    private static readonly RefitSettings Settings =
        IntegrationRefitSettings.Create(IntegrationRefitSettings.Json(naming: null, new XeroDateConverter()), XeroException.From);

    public IXeroApi Create(ConnectionSettings connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tenant = connection.XeroTenantId ?? throw new InvalidOperationException($"{connection} has no Xero tenant id");
        // The limits belong to the organisation: every connection and service calling it shares them.
        var limited = resilience.Create(connection.Id, IntegrationKind.Xero, ConnectionLimits.Key(connection),
            ConnectionLimits.Of(connection).Limits, handlers.CreateHandler(HttpClientName));
        var http = IntegrationHttpClient.Create(limited, connection.BaseUrl ?? throw new InvalidOperationException($"{connection} has no BaseUrl"),
            new AuthenticationHeaderValue("Bearer", connection.AccessToken));
        http.DefaultRequestHeaders.Add(TenantHeader, tenant);
        return RestService.For<IXeroApi>(http, Settings);
    }
}
