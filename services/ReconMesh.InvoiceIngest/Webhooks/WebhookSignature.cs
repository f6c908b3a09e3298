using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReconMesh.Contracts;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Integrations.Connections;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.InvoiceIngest.Webhooks;

/// <summary>
/// What the integrations' webhooks share: a header carrying base64(HMAC-SHA256(key, raw body)), checked in constant
/// time over the bytes as received; and, for those signed with one key of the app's (QuickBooks' verifier token,
/// Xero's webhook key), reading a body only when that key is configured and the signature matches, then waking the
/// sync of each connection to an account the body names.
/// </summary>
public static class WebhookSignature
{
    /// <summary>Whether <paramref name="signature"/> is base64(HMAC-SHA256(<paramref name="key"/>, <paramref name="body"/>)).</summary>
    public static bool IsHmacSha256(byte[] body, string? signature, byte[] key)
    {
        if (string.IsNullOrWhiteSpace(signature))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64String(signature.Trim(), given, out var length))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, body), given[..length]);
    }

    /// <summary>
    /// The raw body of a webhook signed with the app's key (the setting <paramref name="keySetting"/>, used as UTF-8), or
    /// the problem to answer instead: 503 when the key is not configured, 415 or 413 (<see cref="WebhookRequests"/>),
    /// 401 when the <paramref name="header"/> is missing or does not match the body. <paramref name="what"/> names the body in problems.
    /// </summary>
    public static async Task<WebhookRequests.Body> ReadSignedAsync(HttpRequest request, IConfiguration configuration, string keySetting, string header,
        int maxBytes, string integration, string what)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(configuration);
        var key = configuration[keySetting];
        if (string.IsNullOrEmpty(key))
        {
            return new WebhookRequests.Body(null, Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: $"{integration} webhooks are not configured", detail: $"Set {keySetting} to the {integration} app's webhook signing key."));
        }

        var read = await WebhookRequests.ReadJsonAsync(request, maxBytes, what);
        if (read.Bytes is { } body && !IsHmacSha256(body, request.Headers[header].ToString(), Encoding.UTF8.GetBytes(key)))
        {
            return new WebhookRequests.Body(null, Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid signature",
                detail: $"The {header} header is missing or does not match the body."));
        }

        return read;
    }

    /// <summary>
    /// An app-signed notification (<see cref="ReadSignedAsync"/>): the accounts it names (<paramref name="notified"/>,
    /// which throws <see cref="JsonException"/> with the reason for a body not of the integration's shape: 400) wake the
    /// sync of every connection of <paramref name="kind"/> to them that syncs invoices in (not a secondary); 200.
    /// </summary>
    public static async Task<IResult> WakeNotifiedAsync(HttpRequest request, IConfiguration configuration, ConnectionCatalog connections,
        SyncTrigger trigger, IntegrationKind kind, string keySetting, string header, int maxBytes, string what,
        Func<byte[], IReadOnlyCollection<string>> notified)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(notified);
        var integration = kind == IntegrationKind.QuickBooksOnline ? "QuickBooks" : kind.ToString();
        var (body, refused) = await ReadSignedAsync(request, configuration, keySetting, header, maxBytes, integration, what);
        if (body is null)
        {
            return refused!;
        }

        IReadOnlyCollection<string> accounts;
        try
        {
            accounts = notified(body);
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Malformed {integration} webhook", detail: ex.Message);
        }

        foreach (var connection in connections.All.Where(c => c.Kind == kind && !c.IsSecondary && c.RealmId is not null && accounts.Contains(c.RealmId)))
        {
            trigger.Wake(connection.Id);
        }

        return Results.Ok();
    }
}
