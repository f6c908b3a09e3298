using System.Net.Http.Headers;
using System.Text.Json;
using Refit;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>Builds an <see cref="IQuickBooksApi"/> for one connection: its base address and its bearer token.</summary>
public sealed class QuickBooksClientFactory(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "quickbooks";

    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(new JsonSerializerOptions
    {
        PropertyNamingPolicy = null,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    }));

    public IQuickBooksApi Create(ConnectionSettings connection)
    {
        var http = httpClients.CreateClient(HttpClientName);
        http.BaseAddress = connection.BaseUrl ?? throw new InvalidOperationException($"{connection} has no BaseUrl");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.AccessToken);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return RestService.For<IQuickBooksApi>(http, Settings);
    }
}
