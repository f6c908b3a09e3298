using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Callback subscriptions and the signed notifications queued when an invoice changes.</summary>
internal sealed partial class CwSite
{
    public CwCallbackEntry AddCallback(JsonElement body, CwActor actor)
    {
        var reader = new CwBodyReader(body, "callbackEntry");
        reader.Ignore("id", "_info");
        var description = reader.String("description", maxLength: 100);
        var url = reader.String("url", required: true, maxLength: 1000);
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            reader.AddError("url", "InvalidField", "The url field must be an absolute http or https URL.");
        }

        var objectId = reader.Int("objectId", required: true);
        var type = reader.String("type", required: true, maxLength: 50);
        var level = reader.String("level", required: true, maxLength: 50);
        var memberId = reader.Int("memberId");
        var payloadVersion = reader.String("payloadVersion", maxLength: 10);
        var inactive = reader.Bool("inactiveFlag");
        var soap = reader.Bool("isSoapCallbackFlag");
        var selfSuppressed = reader.Bool("isSelfSuppressedFlag");
        reader.Finish();
        var entry = new CwCallbackEntry
        {
            Id = _nextCallbackId++,
            Description = description,
            Url = url!,
            ObjectId = objectId!.Value,
            Type = type!.Trim(),
            Level = level!.Trim(),
            MemberId = memberId ?? ApiMemberId,
            PayloadVersion = payloadVersion ?? "1.0",
            InactiveFlag = inactive ?? false,
            IsSoapCallbackFlag = soap ?? false,
            IsSelfSuppressedFlag = selfSuppressed ?? false,
            Audit = new CwAudit(Now, actor.Member),
        };
        Callbacks.Add(entry.Id, entry);
        return entry;
    }

    /// <summary>
    /// Queues the summarized payload of an invoice change for every active Invoice callback whose level covers it
    /// (Owner: all; Company: the invoice's company; any other level: the invoice itself). A self-suppressed callback
    /// skips changes made through the API. Delivery happens off the request, in <see cref="CwCallbackDispatcher"/>.
    /// </summary>
    private void Notify(CwInvoice invoice, string action, CwActor actor)
    {
        var targets = Callbacks.Values.Where(c => !c.InactiveFlag
            && string.Equals(c.Type, "invoice", StringComparison.OrdinalIgnoreCase)
            && !(c.IsSelfSuppressedFlag && actor.ViaApi)
            && c.Level.ToUpperInvariant() switch
            {
                "OWNER" or "ALL" => true,
                "COMPANY" => c.ObjectId == invoice.CompanyId,
                _ => c.ObjectId == invoice.Id,
            }).ToList();
        if (targets.Count == 0)
        {
            return;
        }

        var entity = action == "deleted" ? null : CwJson.SerializeToString(InvoiceJson(invoice, actor.BaseUrl));
        var payload = new JsonObject
        {
            ["Action"] = action,
            [nameof(CompanyId)] = CompanyId,
            ["Entity"] = entity,
            ["FromUrl"] = Uri.TryCreate(actor.BaseUrl, UriKind.Absolute, out var from) ? from.Authority : actor.BaseUrl,
            ["ID"] = invoice.Id,
            ["MemberId"] = actor.Member,
            ["Metadata"] = new JsonObject { ["key_url"] = $"{actor.BaseUrl}/system/callbackKeys/{SigningKeyId}" },
            ["Type"] = "invoice",
        };
        var body = CwJson.Serialize(payload);
        var signature = Sign(body);
        foreach (var target in targets)
        {
            _dispatcher.Enqueue(new CwDelivery(target.Url, body, signature, CompanyId, target.Id));
        }
    }

    /// <summary><c>x-content-signature</c>: base64(HMAC-SHA256(SHA256(signing_key), body)).</summary>
    public string Sign(byte[] body)
    {
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(SigningKey));
        return Convert.ToBase64String(HMACSHA256.HashData(key, body));
    }
}
