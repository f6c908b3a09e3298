using System.Text.Json;
using ReconMesh.Contracts;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Integrations.ConnectWise;
using ReconMesh.Integrations.Connections;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.RateLimiting;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.InvoiceIngest.Webhooks;

/// <summary>
/// ConnectWise PSA callbacks (<c>POST /webhooks/connectwise/{connectionId}</c>, registered in PSA under
/// <c>/system/callbacks</c>). A callback is a summary that may arrive late or out of order, so a valid one only wakes
/// the connection's sync, which reads the real state. Valid means: the connection is a configured ConnectWise one,
/// the body's <c>CompanyId</c> is its company, its <c>Metadata.key_url</c> points at the connection's own site, and
/// <c>x-content-signature</c> is base64(HMAC-SHA256(SHA256(signing_key), raw body)) with the key fetched from there
/// (cached per key id). Anything else is refused and changes nothing. A valid <c>deleted</c> callback of an invoice
/// also names the invoice for the sync to check.
/// </summary>
public static class ConnectWiseCallback
{
    public const string Path = "/webhooks/connectwise/{connectionId:guid}";
    public const string SignatureHeader = "x-content-signature";

    /// <summary>The rate limit of callbacks, per connection: <c>ReconMesh:ConnectWise:CallbacksPerMinute</c>.</summary>
    public const string CallbacksPerMinuteKey = "ReconMesh:ConnectWise:CallbacksPerMinute";

    /// <summary>
    /// A callback only wakes a sync, and a forged one may cost a request to ConnectWise (a key id never seen): far more
    /// than PSA sends for one company's edits, far less than the connection's own API budget (1,000 a minute).
    /// </summary>
    public const int DefaultCallbacksPerMinute = 300;

    private const string RateLimitPolicy = "connectwise-callbacks";
    private const int MaxBodyBytes = 1 << 20;

    /// <summary>The key cache and the per-connection rate limit of callbacks.</summary>
    public static WebApplicationBuilder AddConnectWiseCallbacks(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[CallbacksPerMinuteKey];
        var perMinute = DefaultCallbacksPerMinute;
        if (configured is not null && (!int.TryParse(configured, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out perMinute)
            || perMinute < 1))
        {
            RequiredSettings.Fail($"{CallbacksPerMinuteKey} must be a whole number of callbacks a minute, at least 1");
        }

        builder.Services.AddSingleton<ConnectWiseCallbackKeys>();
        builder.Services.AddPerRouteValueLimit(RateLimitPolicy, "connectionId", perMinute);
        return builder;
    }

    public static IEndpointRouteBuilder MapConnectWiseCallback(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, ReceiveAsync).WithTags("Webhooks").AsSignedWebhook().RequireRateLimiting(RateLimitPolicy);
        return endpoints;
    }

    private static async Task<IResult> ReceiveAsync(Guid connectionId, HttpRequest request, ConnectionCatalog connections,
        ConnectWiseCallbackKeys keys, SyncTrigger trigger)
    {
        var connection = connections.Find(connectionId);
        if (connection is not { Kind: IntegrationKind.ConnectWisePsa })
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown connection",
                detail: $"No ConnectWise connection {connectionId} is configured.");
        }

        var (body, refused) = await WebhookRequests.ReadJsonAsync(request, MaxBodyBytes, "A ConnectWise callback");
        if (body is null)
        {
            return refused!;
        }

        Notice notice;
        try
        {
            notice = Read(body);
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed callback", detail: ex.Message);
        }

        if (!string.Equals(notice.CompanyId, connection.CompanyId, StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong company",
                detail: "The callback's CompanyId is not the connection's company.");
        }

        var keyId = KeyIdOf(notice.KeyUrl, connection);
        if (keyId is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Untrusted key",
                detail: "Metadata.key_url must point at /system/callbackKeys/{id} on the connection's own site.");
        }

        byte[]? key;
        try
        {
            key = await keys.FindAsync(connection, keyId, request.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is ConnectWiseException or Refit.ApiRequestException or HttpRequestException or TaskCanceledException
            or Integrations.Http.IntegrationRefusedException)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Signing key unavailable",
                detail: "The callback's signing key could not be fetched from ConnectWise; the callback can be sent again.");
        }

        if (key is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unknown key", detail: $"ConnectWise has no callback key {keyId}.");
        }

        if (!SignatureIsValid(body, request.Headers[SignatureHeader].ToString(), key))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid signature",
                detail: $"The {SignatureHeader} header is missing or does not match the body.");
        }

        if (notice is { Action: "deleted", Type: "invoice", Id: { } deleted })
        {
            // Deleted records stop being listed, so the sync's lastUpdated query would never see this one: it is
            // checked (and archived once confirmed gone) by id.
            trigger.SuspectDeleted(connection.Id, deleted);
        }
        else
        {
            trigger.Wake(connection.Id);
        }

        return Results.NoContent();
    }

    /// <summary>base64(HMAC-SHA256(key, body)), where key = SHA256(signing_key), compared in constant time.</summary>
    public static bool SignatureIsValid(byte[] body, string? signature, byte[] key) => WebhookSignature.IsHmacSha256(body, signature, key);

    /// <summary>The key id of a key URL on the connection's own API, or null for any other URL (never fetched).</summary>
    public static string? KeyIdOf(string? keyUrl, ConnectionSettings connection)
    {
        if (connection.BaseUrl is null || !Uri.TryCreate(keyUrl, UriKind.Absolute, out var url))
        {
            return null;
        }

        var api = ConnectWiseClientFactory.ApiBase(connection.BaseUrl);
        var prefix = api.AbsolutePath.TrimEnd('/') + "/system/callbackKeys/";
        if (!string.Equals(url.Scheme, api.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(url.Authority, api.Authority, StringComparison.OrdinalIgnoreCase)
            || !url.AbsolutePath.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var id = url.AbsolutePath[prefix.Length..];
        return id.Length is > 0 and <= 100 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? id : null;
    }

    /// <param name="CompanyId">The PSA company the callback is from.</param>
    /// <param name="KeyUrl">Where its signing key is (<c>Metadata.key_url</c>).</param>
    /// <param name="Action">added, updated or deleted (lower case).</param>
    /// <param name="Type">The record type (lower case), e.g. invoice.</param>
    /// <param name="Id">The record's id.</param>
    private sealed record Notice(string? CompanyId, string? KeyUrl, string? Action, string? Type, string? Id);

    private static Notice Read(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Expected a callback object with CompanyId, Type, ID, Action and Metadata.key_url.");
        }

        string? company = null, keyUrl = null, action = null, type = null, id = null;
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, "CompanyId", StringComparison.OrdinalIgnoreCase))
            {
                company = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            }
            else if (string.Equals(property.Name, "Action", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                action = property.Value.GetString()?.Trim().ToLowerInvariant();
            }
            else if (string.Equals(property.Name, "Type", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                type = property.Value.GetString()?.Trim().ToLowerInvariant();
            }
            else if (string.Equals(property.Name, "ID", StringComparison.OrdinalIgnoreCase))
            {
                id = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var number) && number > 0
                    ? number.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : null;
            }
            else if (string.Equals(property.Name, "Metadata", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var meta in property.Value.EnumerateObject())
                {
                    if (string.Equals(meta.Name, "key_url", StringComparison.OrdinalIgnoreCase) && meta.Value.ValueKind == JsonValueKind.String)
                    {
                        keyUrl = meta.Value.GetString();
                    }
                }
            }
        }

        return new Notice(company, keyUrl, action, type, id);
    }
}
