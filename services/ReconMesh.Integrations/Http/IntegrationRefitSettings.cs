using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// The Refit settings of every integration client: its JSON options; a refused call
/// (<see cref="IntegrationRefusedException"/>) surfaced as itself, not wrapped as a transport failure
/// (<see cref="ApiRequestException"/>), which callers read as an answer that may have been lost and try again; and the
/// integration's fault translator, applied here, at the HTTP boundary, to every error answer and every answer that
/// cannot be read, so that no caller ever sees Refit's <see cref="ApiException"/> or translates one itself.
/// </summary>
public static class IntegrationRefitSettings
{
    /// <summary>What Refit says of an answer it could not deserialize (its own words, kept so faults read as before).</summary>
    private const string UnreadableMessage = "An error occured deserializing the response.";

    /// <summary>
    /// An integration's JSON: its names as <paramref name="naming"/> writes them (null: as the properties are named), read
    /// ignoring case, nulls not written, with the integration's own <paramref name="converters"/>.
    /// </summary>
    public static JsonSerializerOptions Json(JsonNamingPolicy? naming, params JsonConverter[] converters)
    {
        var json = new JsonSerializerOptions
        {
            PropertyNamingPolicy = naming,
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        foreach (var converter in converters)
        {
            json.Converters.Add(converter);
        }

        return json;
    }

    /// <param name="json">How the integration's JSON is written and read.</param>
    /// <param name="translate">
    /// The integration's own fault for a Refit <see cref="ApiException"/> (an error status, or a body that is not the
    /// JSON expected), e.g. <c>QuickBooksException.From</c>.
    /// </param>
    public static RefitSettings Create(JsonSerializerOptions json, Func<ApiException, Exception> translate)
    {
        ArgumentNullException.ThrowIfNull(translate);
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(json));
        var wrap = settings.TransportExceptionFactory
            ?? throw new InvalidOperationException("Refit has no default transport exception factory to keep for other failures");
        settings.TransportExceptionFactory = (request, exception, cancellationToken) =>
            exception as IntegrationRefusedException ?? wrap(request, exception, cancellationToken);

        var refuse = settings.ExceptionFactory
            ?? throw new InvalidOperationException("Refit has no default exception factory to translate error answers from");
        settings.ExceptionFactory = async response =>
            await refuse(response) switch
            {
                ApiException fault => translate(fault),
                var other => other,
            };
        settings.DeserializationExceptionFactory = async (response, error) =>
        {
            var request = response.RequestMessage
                ?? throw new InvalidOperationException("An integration's answer has no request message to describe it by", error);
            return translate(await ApiException.Create(UnreadableMessage, request, request.Method, response, settings, error));
        };
        return settings;
    }
}
