using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Refit;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>
/// Builds an <see cref="IConnectWiseApi"/> for one connection: the site's API base address, Basic authentication
/// with the API member's keys, the <c>clientId</c> header, and the shared per-site rate limiter. Every error it answers
/// with arrives as a <see cref="ConnectWiseException"/>, translated once by the client's settings.
/// </summary>
public sealed class ConnectWiseClientFactory(IHttpMessageHandlerFactory handlers, IntegrationResilience resilience)
{
    public const string HttpClientName = "connectwise";

    /// <summary>The API's path under a site, when the configured BaseUrl is the site alone.</summary>
    public const string ApiPath = "v4_6_release/apis/3.0/";

    /// <summary>
    /// ConnectWise publishes no hard rate limit ("design respectfully"; one third-party claim of 60/min is unverified,
    /// and would make a 1,000-invoice initial sync plus payment writeback crawl). 1,000 requests a minute and 10 in
    /// flight per site is a steady pace a PSA server handles without noticing, still far below what one tenant's
    /// traffic needs, and the same order as the QuickBooks limits we already live with. 429s with Retry-After are
    /// honoured by the integration pipeline (<see cref="IntegrationResilience"/>) anyway; a site with a stricter limit sets
    /// <c>RequestsPerMinute</c>/<c>MaxConcurrent</c> on the connection.
    /// </summary>
    public static readonly ApiLimits DefaultLimits = new(1000, 10);

    private static readonly RefitSettings Settings = IntegrationRefitSettings.Create(IntegrationRefitSettings.Json(JsonNamingPolicy.CamelCase),
        ConnectWiseException.From);

    public IConnectWiseApi Create(ConnectionSettings connection)
    {
        var site = connection.BaseUrl ?? throw new InvalidOperationException($"{connection} has no BaseUrl");
        // The limits belong to the PSA site's login company: every connection and service calling it shares them.
        var limited = resilience.Create(connection.Id, IntegrationKind.ConnectWisePsa, LimitKey(connection), connection.Limits ?? DefaultLimits,
            handlers.CreateHandler(HttpClientName));
        var user = $"{connection.CompanyId}+{connection.PublicKey}:{connection.PrivateKey}";
        var http = IntegrationHttpClient.Create(limited, ApiBase(site),
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user))));
        http.DefaultRequestHeaders.TryAddWithoutValidation("clientId", connection.ClientId);
        http.DefaultRequestHeaders.CacheControl = new CacheControlHeaderValue { NoCache = true };
        return RestService.For<IConnectWiseApi>(http, Settings);
    }

    /// <summary>The rate limiter's key: one bucket per site and login company.</summary>
    public static string LimitKey(ConnectionSettings connection) =>
        $"cw:{connection.BaseUrl?.Authority.ToUpperInvariant()}:{connection.CompanyId?.ToUpperInvariant()}";

    /// <summary><c>https://site/v4_6_release/apis/3.0/</c>, whether the configured URL names the site or the API.</summary>
    public static Uri ApiBase(Uri site)
    {
        var text = site.ToString();
        if (text.Contains("/apis/3.0", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri(text.EndsWith('/') ? text : text + "/");
        }

        return new Uri(new Uri(text.EndsWith('/') ? text : text + "/"), ApiPath);
    }
}
