using System.Text;
using System.Text.Json;
using ReconMesh.Contracts;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Integrations.Connections;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.InvoiceIngest.Webhooks;

/// <summary>
/// QuickBooks Online's change notifications. They carry ids only and may arrive late, batched or out of order, so
/// a valid one just wakes the sync of every connection to the notified company; the sync reads the real state.
/// A missing or wrong <c>intuit-signature</c> (base64 HMAC-SHA256 of the raw body with the verifier token) is
/// refused with 401 and changes nothing.
/// </summary>
public static class QuickBooksWebhook
{
    public const string Path = "/webhooks/quickbooks";
    public const string SignatureHeader = "intuit-signature";
    public const string VerifierTokenSetting = "ReconMesh:QuickBooks:WebhookVerifierToken";
    private const int MaxBodyBytes = 1 << 20;

    public static IEndpointRouteBuilder MapQuickBooksWebhook(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, ReceiveAsync).WithTags("Webhooks").AsSignedWebhook();
        return endpoints;
    }

    private static Task<IResult> ReceiveAsync(HttpRequest request, IConfiguration configuration, ConnectionCatalog connections, SyncTrigger trigger) =>
        WebhookSignature.WakeNotifiedAsync(request, configuration, connections, trigger, IntegrationKind.QuickBooksOnline, VerifierTokenSetting,
            SignatureHeader, MaxBodyBytes, "A QuickBooks notification", NotifiedRealms);

    public static bool SignatureIsValid(byte[] body, string? signature, string verifierToken) =>
        WebhookSignature.IsHmacSha256(body, signature, Encoding.UTF8.GetBytes(verifierToken));

    /// <summary>The company ids in a notification, in either of Intuit's formats (legacy object or CloudEvents array).</summary>
    public static IReadOnlyCollection<string> NotifiedRealms(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var realms = new HashSet<string>(StringComparer.Ordinal);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("eventNotifications", out var notifications)
            && notifications.ValueKind == JsonValueKind.Array)
        {
            foreach (var n in notifications.EnumerateArray())
            {
                if (n.TryGetProperty("realmId", out var realm) && realm.ValueKind == JsonValueKind.String)
                {
                    realms.Add(realm.GetString()!);
                }
            }
        }
        else if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in root.EnumerateArray())
            {
                if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("intuitaccountid", out var realm) && realm.ValueKind == JsonValueKind.String)
                {
                    realms.Add(realm.GetString()!);
                }
            }
        }
        else
        {
            throw new JsonException("Expected an object with eventNotifications, or a CloudEvents array.");
        }

        return realms;
    }
}
