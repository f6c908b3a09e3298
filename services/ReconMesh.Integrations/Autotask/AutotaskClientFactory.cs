using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Refit;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.RateLimiting;

namespace ReconMesh.Integrations.Autotask;

/// <summary>
/// Builds an <see cref="IAutotaskApi"/> for one connection: at its zone's REST address (the connection's
/// <see cref="ConnectionSettings.ZoneUrl"/>, or looked up by user at its <see cref="ConnectionSettings.BaseUrl"/> and
/// kept for the process), with the three credential headers (<c>ApiIntegrationCode</c>, <c>UserName</c>, <c>Secret</c>),
/// through the integration pipeline (<see cref="IntegrationResilience"/>): answers bounded in size, reads retried,
/// every attempt admitted by the rate limiter of the connection's share of the database's hourly budget. The zone's
/// address is an integration host like any other: the pipeline connects to it only if it is allowed for
/// <see cref="IntegrationKind.AutotaskPsa"/>. Every error answer arrives as an <see cref="AutotaskException"/>.
/// </summary>
public sealed class AutotaskClientFactory(IHttpMessageHandlerFactory handlers, IntegrationResilience resilience)
{
    public const string HttpClientName = "autotask";

    private static readonly RefitSettings Settings = IntegrationRefitSettings.Create(IntegrationRefitSettings.Json(JsonNamingPolicy.CamelCase),
        AutotaskException.From);

    private readonly ConcurrentDictionary<(Uri LookUp, string User), Uri> _zones = new();

    public async Task<IAutotaskApi> CreateAsync(ConnectionSettings connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var zone = connection.ZoneUrl is { } given ? RestBase(given) : await ZoneAsync(connection, cancellationToken);
        var http = IntegrationHttpClient.Create(Pipeline(connection), zone, authorization: null);
        http.DefaultRequestHeaders.TryAddWithoutValidation("ApiIntegrationCode", connection.IntegrationCode);
        http.DefaultRequestHeaders.TryAddWithoutValidation("UserName", connection.UserName);
        http.DefaultRequestHeaders.TryAddWithoutValidation("Secret", connection.Secret);
        return RestService.For<IAutotaskApi>(http, Settings);
    }

    /// <summary>
    /// The limits belong to the Autotask database, shared by every integration of the customer: this connection takes
    /// its share (<see cref="ConnectionSettings.BudgetSharePercent"/>, 20% unless set) unless its limits are set outright.
    /// The key is the API user's, the one thing that names the database before calling.
    /// </summary>
    public static ApiLimits Limits(ConnectionSettings connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Limits ?? ApiLimits.AutotaskPsa(connection.BudgetSharePercent ?? ApiLimits.AutotaskDefaultSharePercent);
    }

    public static string LimitKey(ConnectionSettings connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return $"autotask:{connection.UserName?.ToUpperInvariant()}";
    }

    /// <summary><c>https://zone/ATServicesRest/</c>, whether the address names the host, the REST root or its version.</summary>
    public static Uri RestBase(Uri zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var text = zone.GetLeftPart(UriPartial.Path);
        var at = text.IndexOf("/atservicesrest", StringComparison.OrdinalIgnoreCase);
        return new Uri(at >= 0 ? text[..(at + "/atservicesrest".Length)] + "/" : text.TrimEnd('/') + "/ATServicesRest/");
    }

    private HttpMessageHandler Pipeline(ConnectionSettings connection) =>
        resilience.Create(connection.Id, IntegrationKind.AutotaskPsa, LimitKey(connection), Limits(connection), handlers.CreateHandler(HttpClientName));

    /// <summary>The user's zone, looked up once per process (a database does not move zones) at the connection's look-up address.</summary>
    private async Task<Uri> ZoneAsync(ConnectionSettings connection, CancellationToken cancellationToken)
    {
        var lookUp = new Uri((connection.BaseUrl ?? throw new InvalidOperationException($"{connection} has no BaseUrl")).GetLeftPart(UriPartial.Authority) + "/");
        var user = connection.UserName ?? throw new InvalidOperationException($"{connection} has no UserName");
        if (_zones.TryGetValue((lookUp, user), out var known))
        {
            return known;
        }

        var http = IntegrationHttpClient.Create(Pipeline(connection), lookUp, authorization: null);
        var answer = await AutotaskException.Call(() => RestService.For<IAutotaskZoneApi>(http, Settings).ZoneInformationAsync(user, cancellationToken));
        if (!Uri.TryCreate(answer.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.UserInfo))
        {
            throw new AutotaskException(HttpStatusCode.OK, $"Autotask's zone look-up for the user answered no usable zone address ({UnreadableAnswer.Field(answer.Url) ?? "none"})");
        }

        return _zones[(lookUp, user)] = RestBase(url);
    }
}
