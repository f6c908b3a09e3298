using System.Net.Http.Headers;
using Refit;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// Builds an <see cref="IQuickBooksApi"/> for one connection: its base address and its bearer token. Every fault it
/// answers with arrives as a <see cref="QuickBooksException"/>, translated once by the client's settings.
/// </summary>
public sealed class QuickBooksClientFactory(IHttpMessageHandlerFactory handlers, IntegrationResilience resilience)
{
    public const string HttpClientName = "quickbooks";

    private static readonly RefitSettings Settings = IntegrationRefitSettings.Create(IntegrationRefitSettings.Json(naming: null), QuickBooksException.From);

    public IQuickBooksApi Create(ConnectionSettings connection)
    {
        // The limits belong to the QuickBooks company: every connection and service calling it shares them.
        var limited = resilience.Create(connection.Id, IntegrationKind.QuickBooksOnline, ConnectionLimits.Key(connection),
            ConnectionLimits.Of(connection).Limits, handlers.CreateHandler(HttpClientName));
        var http = IntegrationHttpClient.Create(limited, connection.BaseUrl ?? throw new InvalidOperationException($"{connection} has no BaseUrl"),
            new AuthenticationHeaderValue("Bearer", connection.AccessToken));
        return RestService.For<IQuickBooksApi>(http, Settings);
    }
}
