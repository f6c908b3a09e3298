using System.Net.Http.Headers;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// The HTTP client every integration's Refit client is built on: over the connection's pipeline
/// (<see cref="IntegrationResilience"/>, which outlives the client), at the API's base address, with its credentials,
/// asking for JSON (Autotask's credentials are headers of their own: it has no Authorization). Its own timeout is a backstop; each attempt's is the pipeline's.
/// </summary>
public static class IntegrationHttpClient
{
    public static HttpClient Create(HttpMessageHandler pipeline, Uri baseAddress, AuthenticationHeaderValue? authorization)
    {
        var http = new HttpClient(pipeline, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = authorization;
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }
}
