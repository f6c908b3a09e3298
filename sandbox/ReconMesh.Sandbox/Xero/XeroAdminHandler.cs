using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// <c>/admin/xero</c>: not part of Xero's API. Creates organisations, connects and disconnects tokens, sets limits and
/// reports the books, for the demo and for tests. No bearer token is needed; JSON is camelCase. Seeding lives in
/// <c>XeroAdminHandler.Seeding.cs</c>.
/// </summary>
internal sealed partial class XeroAdminHandler(XeroSimulator simulator, XeroWebhookDispatcher webhooks)
{
    public async Task CreateOrganisationAsync(HttpContext context)
    {
        using var body = await XeroAdminJson.ReadObjectAsync(context);
        if (body is null)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object: {\"tenantId\": \"<guid>\", \"accessToken\": \"…\", \"name\": \"…\", \"baseCurrency\": \"USD\", \"requestsPerMinute\": 60, \"maxConcurrent\": 5, \"requestsPerDay\": 5000}.");
            return;
        }

        var root = body.RootElement;
        var tenantText = XeroAdminJson.String(root, "tenantId");
        var accessToken = XeroAdminJson.String(root, "accessToken") ?? "sandbox-xero-" + Guid.NewGuid().ToString("N");
        var name = XeroAdminJson.String(root, "name") ?? "Sandbox Organisation";
        var currency = XeroAdminJson.String(root, "baseCurrency") ?? "USD";
        var (perMinute, concurrent, perDay) = Limits(root);
        var tenantId = tenantText is null ? Guid.NewGuid() : Guid.TryParse(tenantText, out var parsed) ? parsed : Guid.Empty;
        if (tenantId == Guid.Empty || accessToken.Length > 2048 || name.Length > XeroOrganisation.MaxTextLength || currency.Length != 3
            || perMinute < 0 || concurrent < 0 || perDay < 0)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest,
                "tenantId must be a GUID, accessToken at most 2048 characters, name at most 255, baseCurrency a 3-letter code, and the limits 0 (off) or more.");
            return;
        }

        if (!simulator.CreateOrganisation(tenantId, accessToken, name, currency.ToUpperInvariant(), perMinute, concurrent, perDay))
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status409Conflict, $"Organisation {tenantId} already exists.");
            return;
        }

        await XeroAdminJson.WriteAsync(context, StatusCodes.Status201Created, new { tenantId, accessToken });
    }

    public Task ListOrganisationsAsync(HttpContext context) =>
        XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK, new { organisations = simulator.TenantIds.Order().ToArray() });

    public async Task BooksAsync(HttpContext context)
    {
        var books = TenantId(context) is { } tenantId ? simulator.GetBooks(tenantId) : null;
        await (books is null
            ? XeroAdminJson.ErrorAsync(context, StatusCodes.Status404NotFound, "No such organisation.")
            : XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK, books));
    }

    /// <summary><c>PUT organisations/{tenantId}/limits</c> with any of requestsPerMinute, maxConcurrent, requestsPerDay (0 = off).</summary>
    public async Task PutLimitsAsync(HttpContext context)
    {
        using var body = await XeroAdminJson.ReadObjectAsync(context);
        var (perMinute, concurrent, perDay) = body is null ? (-1, -1, -1) : Limits(body.RootElement);
        if (perMinute < 0 || concurrent < 0 || perDay < 0)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object: {\"requestsPerMinute\": 60, \"maxConcurrent\": 5, \"requestsPerDay\": 5000} (0 turns a limit off).");
            return;
        }

        if (TenantId(context) is not { } tenantId || !simulator.Configure(tenantId, perMinute, concurrent, perDay))
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status404NotFound, "No such organisation.");
            return;
        }

        await XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK, simulator.GetBooks(tenantId)!.Limits);
    }

    /// <summary><c>POST organisations/{tenantId}/connections</c> or <c>DELETE</c> with <c>{"accessToken": "…"}</c>: a token reaches the organisation, or no longer does (its calls get 403).</summary>
    public async Task ConnectionAsync(HttpContext context)
    {
        using var body = await XeroAdminJson.ReadObjectAsync(context);
        var token = body is null ? null : XeroAdminJson.String(body.RootElement, "accessToken");
        if (token is null || token.Length > 2048)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest, "The body must be a JSON object: {\"accessToken\": \"…\"}.");
            return;
        }

        if (TenantId(context) is not { } tenantId || simulator.GetBooks(tenantId) is null)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status404NotFound, "No such organisation.");
            return;
        }

        if (HttpMethods.IsDelete(context.Request.Method))
        {
            context.Response.StatusCode = simulator.Disconnect(token, tenantId) ? StatusCodes.Status204NoContent : StatusCodes.Status404NotFound;
            return;
        }

        simulator.Connect(token, tenantId);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary><c>POST /admin/xero/tokens/expire</c> with <c>{"accessToken": "…"}</c>: the token expires now (401 TokenExpired from then on).</summary>
    public async Task ExpireTokenAsync(HttpContext context)
    {
        using var body = await XeroAdminJson.ReadObjectAsync(context);
        var token = body is null ? null : XeroAdminJson.String(body.RootElement, "accessToken");
        if (token is null)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest, "The body must be a JSON object: {\"accessToken\": \"…\"}.");
            return;
        }

        context.Response.StatusCode = simulator.ExpireToken(token) ? StatusCodes.Status204NoContent : StatusCodes.Status404NotFound;
    }

    private static (int? PerMinute, int? Concurrent, int? PerDay) Limits(JsonElement root) =>
        (XeroAdminJson.Int(root, "requestsPerMinute"), XeroAdminJson.Int(root, "maxConcurrent"), XeroAdminJson.Int(root, "requestsPerDay"));

    private static Guid? TenantId(HttpContext context) =>
        Guid.TryParse(context.Request.RouteValues["tenantId"] as string, out var tenantId) ? tenantId : null;
}
