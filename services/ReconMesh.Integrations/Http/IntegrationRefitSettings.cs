using System.Text.Json;
using Refit;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// The Refit settings of every integration client: its JSON options, and a refused call
/// (<see cref="IntegrationRefusedException"/>) surfaced as itself, not wrapped as a transport failure
/// (<see cref="ApiRequestException"/>), which callers read as an answer that may have been lost and try again.
/// </summary>
public static class IntegrationRefitSettings
{
    public static RefitSettings Create(JsonSerializerOptions json)
    {
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(json));
        var wrap = settings.TransportExceptionFactory
            ?? throw new InvalidOperationException("Refit has no default transport exception factory to keep for other failures");
        settings.TransportExceptionFactory = (request, exception, cancellationToken) =>
            exception as IntegrationRefusedException ?? wrap(request, exception, cancellationToken);
        return settings;
    }
}
