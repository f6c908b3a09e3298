using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// <c>/admin/qbo</c>: not part of Intuit's API. Creates companies, seeds them, and reports their books, for the demo
/// and for tests. No bearer token is needed. JSON is camelCase.
/// </summary>
internal sealed class QboAdminHandler(QuickBooksSimulator simulator, QboWebhookDispatcher webhooks)
{
    public async Task CreateCompanyAsync(HttpContext context)
    {
        using var body = await ReadObjectAsync(context);
        if (body is null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "The body must be a JSON object: {\"realmId\": \"…\", \"accessToken\": \"…\"}.");
            return;
        }

        var root = body.RootElement;
        var realmId = OptionalString(root, "realmId") ?? NewRealmId();
        var accessToken = OptionalString(root, "accessToken") ?? "sandbox-qbo-" + Guid.NewGuid().ToString("N");
        var requestsPerMinute = OptionalInt(root, "requestsPerMinute");
        var maxConcurrent = OptionalInt(root, "maxConcurrent");
        if (requestsPerMinute < 0 || maxConcurrent < 0)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "requestsPerMinute and maxConcurrent must be 0 (off) or more.");
            return;
        }

        if (!simulator.CreateCompany(realmId, accessToken, requestsPerMinute, maxConcurrent))
        {
            await ErrorAsync(context, StatusCodes.Status409Conflict, $"Company {realmId} already exists.");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        await context.Response.WriteAsJsonAsync(new { realmId, accessToken }, QboJson.AdminOptions);
    }

    public Task ListCompaniesAsync(HttpContext context) =>
        context.Response.WriteAsJsonAsync(new { companies = simulator.RealmIds.Order(StringComparer.Ordinal).ToArray() }, QboJson.AdminOptions);

    public async Task SeedAsync(HttpContext context)
    {
        var realmId = context.Request.RouteValues["realmId"] as string ?? "";
        if (!simulator.CompanyExists(realmId))
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"Company {realmId} does not exist.");
            return;
        }

        using var body = await ReadObjectAsync(context);
        if (body is null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object: {\"customers\": N, \"invoices\": M, \"currency\": \"USD\", \"seed\": 42, \"paid\": 0}.");
            return;
        }

        var root = body.RootElement;
        try
        {
            var request = new QboSeedRequest(
                OptionalInt(root, "customers") ?? 0,
                OptionalInt(root, "invoices") ?? 0,
                OptionalString(root, "currency"),
                OptionalInt(root, "seed"),
                OptionalInt(root, "paid") ?? 0);
            var result = simulator.Seed(realmId, request)!;
            webhooks.Enqueue(simulator.TakeChanges(realmId));
            await context.Response.WriteAsJsonAsync(result, QboJson.AdminOptions);
        }
        catch (ArgumentException ex)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, ex.Message.Split(" (Parameter", 2)[0]);
        }
        catch (QboFaultException fault)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, fault.Detail);
        }
    }

    private const int MaxBookingsPage = 1000;

    public async Task BooksAsync(HttpContext context)
    {
        var realmId = context.Request.RouteValues["realmId"] as string ?? "";
        var books = simulator.GetBooks(realmId);
        if (books is null)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"Company {realmId} does not exist.");
            return;
        }

        await context.Response.WriteAsJsonAsync(books, QboJson.AdminOptions);
    }

    /// <summary>
    /// <c>GET companies/{realmId}/bookings?from=N&amp;max=M</c>: the company's Payments in creation order from position N
    /// (0-based, at most 1,000 at a time), each with the moment it was created on the machine's monotonic clock, in
    /// <c>timestampFrequency</c> ticks a second; <c>next</c> is the position to ask from next.
    /// </summary>
    public async Task BookingsAsync(HttpContext context)
    {
        var realmId = context.Request.RouteValues["realmId"] as string ?? "";
        var from = int.TryParse(context.Request.Query["from"], out var f) ? f : 0;
        var max = int.TryParse(context.Request.Query["max"], out var m) ? m : MaxBookingsPage;
        if (from < 0 || max is < 1 or > MaxBookingsPage)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"from must be 0 or more and max between 1 and {MaxBookingsPage}.");
            return;
        }

        if (simulator.GetBookings(realmId, from, max) is not { } bookings)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"Company {realmId} does not exist.");
            return;
        }

        await context.Response.WriteAsJsonAsync(new { bookings, next = from + bookings.Count, timestampFrequency = Stopwatch.Frequency },
            QboJson.AdminOptions);
    }

    /// <summary>
    /// <c>POST companies/{realmId}/concurrent-edits</c> with <c>{"entity": "Payment", "count": 1}</c>: the next
    /// <c>count</c> updates, voids or deletes of that entity meet a person's edit saved a moment before (the record's
    /// SyncToken moves on) and are refused with 5010, deterministically. The books report <c>staleWritesRefused</c>.
    /// </summary>
    public async Task ArmConcurrentEditsAsync(HttpContext context)
    {
        var realmId = context.Request.RouteValues["realmId"] as string ?? "";
        using var body = await ReadObjectAsync(context);
        var entity = body is null ? null : OptionalString(body.RootElement, "entity");
        var count = body is null ? null : OptionalInt(body.RootElement, "count");
        var known = entity is not null && QboSchemas.Readable.TryGetValue(entity, out var name) ? name : null;
        if (known is null || count is not (null or > 0 and <= 1000))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest,
                $"The body must be a JSON object: {{\"entity\": one of {string.Join(", ", QboSchemas.Readable.Values)}, \"count\": 1 to 1000 (default 1)}}.");
            return;
        }

        if (simulator.ArmConcurrentEdits(realmId, known, count ?? 1) is not { } pending)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"Company {realmId} does not exist.");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        await context.Response.WriteAsJsonAsync(new { realmId, entity = known, pending }, QboJson.AdminOptions);
    }

    /// <summary><c>PUT companies/{realmId}/webhook</c> with <c>{"url": "...", "verifierToken": "..."}</c>: registers (or replaces) the endpoint.</summary>
    public async Task PutWebhookAsync(HttpContext context)
    {
        var realmId = context.Request.RouteValues["realmId"] as string ?? "";
        if (!simulator.CompanyExists(realmId))
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"Company {realmId} does not exist.");
            return;
        }

        using var body = await ReadObjectAsync(context);
        var url = body is null ? null : OptionalString(body.RootElement, "url");
        var token = body is null ? null : OptionalString(body.RootElement, "verifierToken");
        if (url is null || token is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object: {\"url\": \"http(s)://…\", \"verifierToken\": \"…\"}.");
            return;
        }

        webhooks.Register(realmId, new QboWebhookRegistration(uri, token));
        await context.Response.WriteAsJsonAsync(new { realmId, url = uri.ToString() }, QboJson.AdminOptions);
    }

    /// <summary><c>GET companies/{realmId}/webhook</c>: the registered endpoint (without its token), 404 when none.</summary>
    public async Task GetWebhookAsync(HttpContext context)
    {
        var realmId = context.Request.RouteValues["realmId"] as string ?? "";
        if (webhooks.Registration(realmId) is not { } registration)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, $"Company {realmId} has no webhook.");
            return;
        }

        await context.Response.WriteAsJsonAsync(
            new { realmId, url = registration.Url.ToString(), delivered = webhooks.Delivered, dropped = webhooks.Dropped }, QboJson.AdminOptions);
    }

    /// <summary><c>DELETE companies/{realmId}/webhook</c>: no more notifications for the company (204, or 404 when none was set).</summary>
    public Task DeleteWebhookAsync(HttpContext context)
    {
        var realmId = context.Request.RouteValues["realmId"] as string ?? "";
        if (!webhooks.Unregister(realmId))
        {
            return ErrorAsync(context, StatusCodes.Status404NotFound, $"Company {realmId} has no webhook.");
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>The body as a JSON object (at most 1 MB), or null.</summary>
    private static Task<JsonDocument?> ReadObjectAsync(HttpContext context) => SandboxRequests.ReadObjectAsync(context, 1024 * 1024);

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

    private static string NewRealmId() =>
        "9130" + Random.Shared.NextInt64(100_000_000_000, 1_000_000_000_000).ToString(CultureInfo.InvariantCulture);

    private static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = message }, QboJson.AdminOptions);
    }
}
