using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// <c>/admin/cw</c>: not part of ConnectWise's API. Creates sites, seeds them, simulates people creating and editing
/// invoices, and reports the books, for the demo and for tests. No credentials are needed. JSON is camelCase; errors
/// are <c>{"error": "…"}</c>.
/// </summary>
internal sealed partial class CwAdminHandler(ConnectWiseSimulator simulator)
{
    public async Task CreateSiteAsync(HttpContext context)
    {
        var root = await ReadObjectAsync(context);
        if (root is null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object: {\"companyId\": \"…\", \"publicKey\": \"…\", \"privateKey\": \"…\", \"clientId\": \"…\", \"requestsPerMinute\": 0}.");
            return;
        }

        var companyId = OptionalString(root.Value, "companyId") ?? "site" + Random.Shared.Next(100_000, 1_000_000).ToString(CultureInfo.InvariantCulture);
        var publicKey = OptionalString(root.Value, "publicKey") ?? Guid.NewGuid().ToString("N")[..16];
        var privateKey = OptionalString(root.Value, "privateKey") ?? Guid.NewGuid().ToString("N")[..16];
        var clientId = OptionalString(root.Value, "clientId") ?? Guid.NewGuid().ToString("D");
        var requestsPerMinute = OptionalInt(root.Value, "requestsPerMinute");
        if (requestsPerMinute < 0)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "requestsPerMinute must be 0 (off) or more.");
            return;
        }

        if (companyId.Contains('+', StringComparison.Ordinal) || publicKey.Contains(':', StringComparison.Ordinal))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "companyId cannot contain '+' and publicKey cannot contain ':'.");
            return;
        }

        if (!simulator.CreateSite(companyId, publicKey, privateKey, clientId, requestsPerMinute))
        {
            await ErrorAsync(context, StatusCodes.Status409Conflict, $"Site {companyId} already exists.");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        await context.Response.WriteAsJsonAsync(
            new { companyId, publicKey, privateKey, clientId, requestsPerMinute = requestsPerMinute ?? simulator.Find(companyId)!.Throttle.RequestsPerMinute },
            CwJson.AdminOptions);
    }

    public Task ListSitesAsync(HttpContext context) =>
        context.Response.WriteAsJsonAsync(new { sites = simulator.CompanyIds.Order(StringComparer.Ordinal).ToArray() }, CwJson.AdminOptions);

    public async Task SeedAsync(HttpContext context)
    {
        var site = await RequireSiteAsync(context);
        if (site is null)
        {
            return;
        }

        var root = await ReadObjectAsync(context);
        if (root is null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object: {\"companies\": N, \"invoices\": M, \"currency\": \"USD\", \"seed\": 42, \"closed\": 0}.");
            return;
        }

        try
        {
            var request = new CwSeedRequest(
                OptionalInt(root.Value, "companies") ?? 0,
                OptionalInt(root.Value, "invoices") ?? 0,
                OptionalString(root.Value, "currency"),
                OptionalInt(root.Value, "seed"),
                OptionalInt(root.Value, "closed") ?? 0);
            CwSeedResult result;
            lock (site.Gate)
            {
                result = CwSeeder.Seed(site, request, Actor(context));
            }

            await context.Response.WriteAsJsonAsync(result, CwJson.AdminOptions);
        }
        catch (ArgumentException ex)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, ex.Message.Split(" (Parameter", 2)[0]);
        }
        catch (CwErrorException error)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, Describe(error));
        }
    }

    public async Task BooksAsync(HttpContext context)
    {
        var companyId = context.Request.RouteValues["companyId"] as string ?? "";
        var books = simulator.GetBooks(companyId);
        if (books is null)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"Site {companyId} does not exist.");
            return;
        }

        await context.Response.WriteAsJsonAsync(books, CwJson.AdminOptions);
    }

    private async Task<CwSite?> RequireSiteAsync(HttpContext context)
    {
        var companyId = context.Request.RouteValues["companyId"] as string ?? "";
        var site = simulator.Find(companyId);
        if (site is null)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"Site {companyId} does not exist.");
        }

        return site;
    }

    private static CwActor Actor(HttpContext context) =>
        new(CwActor.AdminMember, ViaApi: false, $"{context.Request.Scheme}://{context.Request.Host.Value}{context.Request.PathBase.Value}{CwSite.ApiPath}");

    private static string Describe(CwErrorException error) =>
        error.Errors.Count == 0 ? error.Message : error.Message + ": " + string.Join(" ", error.Errors.Select(e => e.Message));

    private static async Task<JsonElement?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : null;

    private static int? OptionalInt(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    private static async Task WriteNodeAsync(HttpContext context, JsonNode node)
    {
        var bytes = CwJson.Serialize(node);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = message }, CwJson.AdminOptions);
    }
}
