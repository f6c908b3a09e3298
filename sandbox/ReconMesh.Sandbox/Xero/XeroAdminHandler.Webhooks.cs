using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// <c>/admin/xero/webhook</c>: the app's webhook, as set in Xero's developer portal. <c>PUT</c> with
/// <c>{"url", "key"?}</c> sets it and runs "intent to receive" at once, answering its outcome; <c>GET</c> shows it
/// (without the key) with the counts of deliveries; <c>DELETE</c> removes it.
/// </summary>
internal sealed partial class XeroAdminHandler
{
    public async Task PutWebhookAsync(HttpContext context)
    {
        using var body = await XeroAdminJson.ReadObjectAsync(context);
        var url = body is null ? null : XeroAdminJson.String(body.RootElement, "url");
        var key = (body is null ? null : XeroAdminJson.String(body.RootElement, "key")) ?? webhooks.DefaultKey;
        if (url is null || key.Length > 1024 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest, "The body must be a JSON object: {\"url\": \"http(s)://…\", \"key\": \"…\" (optional)}.");
            return;
        }

        var subscription = await webhooks.SubscribeAsync(uri, key, context.RequestAborted);
        await XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK, new { url = subscription.Url.ToString(), subscription.Status, subscription.Detail });
    }

    public Task GetWebhookAsync(HttpContext context) => webhooks.Subscription is not { } subscription
        ? XeroAdminJson.ErrorAsync(context, StatusCodes.Status404NotFound, "No webhook is set.")
        : XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK,
            new { url = subscription.Url.ToString(), subscription.Status, subscription.Detail, delivered = webhooks.Delivered, dropped = webhooks.Dropped });

    public Task DeleteWebhookAsync(HttpContext context)
    {
        context.Response.StatusCode = webhooks.Unsubscribe() ? StatusCodes.Status204NoContent : StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
