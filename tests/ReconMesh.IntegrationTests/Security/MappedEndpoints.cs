using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Security;

/// <summary>One method of one endpoint as a service's routing table holds it, and how to call it.</summary>
public sealed record MappedEndpoint(string Service, WebApplication Host, RouteEndpoint Endpoint, string Method)
{
    public string Pattern => "/" + Endpoint.RoutePattern.RawText?.TrimStart('/');

    public bool IsAnonymous => Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    public bool IsSignedWebhook => Endpoint.Metadata.GetMetadata<SignedWebhookMetadata>() is not null;

    /// <summary>Whether the endpoint's service has a webhook listener (InvoiceIngest, PaymentEvents), a second door.</summary>
    public bool HasTwoDoors => Host.Services.GetService<WebhookDoor>() is not null;

    public bool IsTenantScoped => Endpoint.RoutePattern.Parameters.Any(p => p.Name == "tenantId");

    public bool IsRead => Method is "GET" or "HEAD";

    public override string ToString() => $"{Service} {Method} {Pattern}";

    /// <summary>The endpoint's address with every route parameter filled in from <paramref name="values"/>.</summary>
    public Uri Address(IReadOnlyDictionary<string, string> values)
    {
        var path = string.Concat(Endpoint.RoutePattern.PathSegments.Select(segment => "/" + string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => values.TryGetValue(parameter.Name, out var value)
                ? Uri.EscapeDataString(value)
                : throw new InvalidOperationException($"{this}: no value for route parameter '{parameter.Name}'; give the endpoint test one"),
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new InvalidOperationException($"{this}: unexpected route part {part}"),
        }))));
        return new Uri(IsSignedWebhook ? Host.WebhookAddress() : Host.Address(), path);
    }

    /// <summary>The same address at the other door: the API's listener for a webhook, the webhook listener for anything else.</summary>
    public Uri AddressAtTheOtherDoor(IReadOnlyDictionary<string, string> values) =>
        new(IsSignedWebhook ? Host.Address() : Host.WebhookAddress(), Address(values).PathAndQuery);

    /// <summary>
    /// Calls the endpoint (a JSON body <c>{}</c> for anything but a read) with <paramref name="token"/>, or without a token,
    /// at its own door, or at the other one.
    /// </summary>
    public async Task<HttpResponseMessage> CallAsync(HttpClient http, IReadOnlyDictionary<string, string> values, string? token, bool atTheOtherDoor = false)
    {
        using var request = new HttpRequestMessage(new HttpMethod(Method), atTheOtherDoor ? AddressAtTheOtherDoor(values) : Address(values));
        if (!IsRead)
        {
            request.Content = JsonContent.Create(new { });
        }

        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    /// <summary>
    /// Every method of every endpoint the services map, read from their routing tables (<see cref="EndpointDataSource"/>),
    /// so an endpoint added later is in this list without anyone adding it here.
    /// </summary>
    public static IReadOnlyList<MappedEndpoint> Of(params (string Service, WebApplication Host)[] services) =>
    [
        .. services.SelectMany(s => s.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new MappedEndpoint(s.Service, s.Host, e, m)))),
    ];
}
