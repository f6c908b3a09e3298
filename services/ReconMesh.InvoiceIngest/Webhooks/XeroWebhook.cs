using System.Text;
using System.Text.Json;
using ReconMesh.Contracts;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Integrations.Connections;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.InvoiceIngest.Webhooks;

/// <summary>
/// Xero's webhook (<c>POST /webhooks/xero</c>). Xero has one webhook per app, for every organisation that connected
/// it, signed with the app's webhook key: <c>x-xero-signature</c> is base64(HMAC-SHA256(key, raw body)). A missing or
/// wrong signature is answered 401 and changes nothing; a correctly signed body is answered 200, which is all Xero's
/// "intent to receive" asks (a signed payload with no events must get 200, a wrongly signed one 401). Events name an
/// organisation (<c>tenantId</c>) and a record; like QuickBooks' notifications they may come late, batched or out of
/// order, so each invoice or contact event only wakes the incremental sync of the connection to that organisation,
/// which reads the real state. The body is bounded (1 MiB, <see cref="MaxEvents"/> events, each field's length);
/// a body that is not Xero's shape is refused with 400 and the reason.
/// </summary>
public static class XeroWebhook
{
    public const string Path = "/webhooks/xero";
    public const string SignatureHeader = "x-xero-signature";
    public const string WebhookKeySetting = "ReconMesh:Xero:WebhookKey";

    /// <summary>More events than Xero puts in one delivery, far fewer than 1 MiB could carry.</summary>
    public const int MaxEvents = 1000;

    private const int MaxBodyBytes = 1 << 20;
    private const int MaxFieldChars = 100;

    /// <summary>The event categories whose records the sync reads: an invoice's, or a contact's (its billing email).</summary>
    private static readonly HashSet<string> Synced = new(StringComparer.OrdinalIgnoreCase) { "INVOICE", "CONTACT" };

    public static IEndpointRouteBuilder MapXeroWebhook(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, ReceiveAsync).WithTags("Webhooks").AsSignedWebhook();
        return endpoints;
    }

    /// <summary>Xero's tenant ids are held in the "D" form (<see cref="ConnectionSettings.XeroTenantId"/>), as <see cref="NotifiedOrganisations"/> gives them.</summary>
    private static Task<IResult> ReceiveAsync(HttpRequest request, IConfiguration configuration, ConnectionCatalog connections, SyncTrigger trigger) =>
        WebhookSignature.WakeNotifiedAsync(request, configuration, connections, trigger, IntegrationKind.Xero, WebhookKeySetting, SignatureHeader,
            MaxBodyBytes, "A Xero webhook", NotifiedOrganisations);

    /// <summary>base64(HMAC-SHA256(key as UTF-8, body)) against the header, compared in constant time.</summary>
    public static bool SignatureIsValid(byte[] body, string? signature, string webhookKey) =>
        WebhookSignature.IsHmacSha256(body, signature, Encoding.UTF8.GetBytes(webhookKey));

    /// <summary>
    /// The organisations (tenant ids, lower-case "D" form) with an invoice or contact event in a delivery; empty for
    /// the intent-to-receive payload. Throws <see cref="JsonException"/>, with the reason, for anything not Xero's shape:
    /// no <c>events</c> array, more than <see cref="MaxEvents"/> events, an event that is not an object, or whose
    /// <c>tenantId</c>, <c>resourceId</c>, <c>eventCategory</c> or <c>eventType</c> is missing, not a string, too long,
    /// or (for the two ids) not a GUID.
    /// </summary>
    public static IReadOnlyCollection<string> NotifiedOrganisations(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("Expected an object with an events array (empty for intent to receive).");
        }

        if (events.GetArrayLength() > MaxEvents)
        {
            throw new JsonException($"A delivery may carry at most {MaxEvents} events; this one has {events.GetArrayLength()}.");
        }

        var organisations = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var e in events.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"events[{index}] is not an object.");
            }

            var tenant = Id(e, "tenantId", index);
            Id(e, "resourceId", index);
            var category = Field(e, "eventCategory", index);
            Field(e, "eventType", index);
            if (Synced.Contains(category))
            {
                organisations.Add(tenant);
            }

            index++;
        }

        return organisations;
    }

    private static string Id(JsonElement e, string name, int index) =>
        Guid.TryParse(Field(e, name, index), out var id) ? id.ToString("D") : throw new JsonException($"events[{index}].{name} is not a GUID.");

    private static string Field(JsonElement e, string name, int index)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new JsonException($"events[{index}].{name} is missing or not a string.");
        }

        var text = value.GetString()!;
        return text.Length is > 0 and <= MaxFieldChars ? text : throw new JsonException($"events[{index}].{name} must have 1 to {MaxFieldChars} characters.");
    }
}
