using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;
using ReconMesh.OperatorConsole.SignIn;

namespace ReconMesh.OperatorConsole.Services;

/// <summary>
/// The services' typed clients (Refit), each request sent with the signed-in person's own access token
/// (<see cref="PersonsTokenHandler"/>): the console has no credentials of its own, so a person reaches through it exactly
/// what their token reaches directly.
/// </summary>
public static class ServiceClients
{
    public const string InvoiceIngest = "InvoiceIngest";
    public const string WritebackService = "WritebackService";

    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(
        new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } }));

    public static IServiceCollection AddServiceClients(this IServiceCollection services, ConsoleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddTransient<PersonsTokenHandler>();
        services.AddScoped<InvoiceNames>();
        services.AddSingleton<ActionIntents>();
        services.AddRefitGeneratedClient<IInvoiceIngestApi>(Settings)
            .ConfigureHttpClient(c => Configure(c, settings.InvoiceIngest))
            .AddHttpMessageHandler<PersonsTokenHandler>();
        services.AddRefitGeneratedClient<IWritebackApi>(Settings)
            .ConfigureHttpClient(c => Configure(c, settings.WritebackService))
            .AddHttpMessageHandler<PersonsTokenHandler>();
        return services;
    }

    private static void Configure(HttpClient client, Uri baseAddress)
    {
        client.BaseAddress = baseAddress;
        // A page waits this long for a service at most, then says it cannot be reached.
        client.Timeout = TimeSpan.FromSeconds(20);
        client.MaxResponseContentBufferSize = 32 * 1024 * 1024;
    }
}

/// <summary>Adds the signed-in person's access token to every call; a call without a session is not sent.</summary>
public sealed class PersonsTokenHandler(IHttpContextAccessor http) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = http.HttpContext ?? throw new InvalidOperationException("The services are called only while serving a signed-in person's request.");
        var token = ConsoleSignIn.AccessTokenOf(context) ?? throw new InvalidOperationException("The request has no live session.");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return base.SendAsync(request, cancellationToken);
    }
}
