using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ReconMesh.Sandbox.Xero;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// <c>/admin/autotask</c>: not part of Autotask's API. Creates databases and API users, sets limits and reports the
/// books, for the demo and for tests; seeding and the hand-made changes an Autotask user would make (a company, an
/// invoice posted by billing, a void, a payment marked) are in <c>AutotaskAdminHandler.Seeding.cs</c>. JSON is camelCase.
/// </summary>
internal sealed partial class AutotaskAdminHandler(AutotaskSimulator simulator)
{
    private static readonly string[] LimitNames = ["requestsPerHour", "threadsPerEndpoint", "halfUseLatencyMs", "threeQuarterUseLatencyMs"];

    /// <summary><c>POST /admin/autotask/databases</c> <c>{databaseId, userName, secret, integrationCode, requestsPerHour, threadsPerEndpoint}</c> (all optional).</summary>
    public async Task CreateDatabaseAsync(HttpContext context)
    {
        using var body = await XeroAdminJson.ReadObjectAsync(context);
        if (body is null)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object: {\"databaseId\": \"…\", \"userName\": \"…\", \"secret\": \"…\", \"integrationCode\": \"…\", \"requestsPerHour\": 10000, \"threadsPerEndpoint\": 3}.");
            return;
        }

        var root = body.RootElement;
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var databaseId = XeroAdminJson.String(root, "databaseId") ?? "db-" + suffix;
        var userName = XeroAdminJson.String(root, "userName") ?? $"api-{suffix}@{databaseId}.test";
        var secret = XeroAdminJson.String(root, "secret") ?? "secret-" + suffix;
        var code = XeroAdminJson.String(root, "integrationCode") ?? "CODE" + suffix.ToUpperInvariant();
        var problem = simulator.CreateDatabase(databaseId, userName, secret, code,
            XeroAdminJson.Int(root, "requestsPerHour"), XeroAdminJson.Int(root, "threadsPerEndpoint"));
        if (problem is not null)
        {
            var conflict = problem.Contains("already exists", StringComparison.Ordinal);
            await XeroAdminJson.ErrorAsync(context, conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest, problem);
            return;
        }

        await XeroAdminJson.WriteAsync(context, StatusCodes.Status201Created, new { databaseId, userName, secret, integrationCode = code });
    }

    public Task ListDatabasesAsync(HttpContext context) =>
        XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK, new { databases = simulator.DatabaseIds.Order(StringComparer.Ordinal).ToArray() });

    /// <summary><c>POST databases/{id}/users</c> <c>{userName, secret, integrationCode}</c>: another integration on the database, sharing its hourly threshold.</summary>
    public async Task AddUserAsync(HttpContext context)
    {
        if (Database(context) is not { } database)
        {
            await NoSuchDatabaseAsync(context);
            return;
        }

        using var body = await XeroAdminJson.ReadObjectAsync(context);
        var root = body?.RootElement;
        var userName = root is { } r1 ? XeroAdminJson.String(r1, "userName") : null;
        var secret = root is { } r2 ? XeroAdminJson.String(r2, "secret") : null;
        var code = root is { } r3 ? XeroAdminJson.String(r3, "integrationCode") : null;
        var problem = userName is null || secret is null || code is null
            ? "The body must be a JSON object: {\"userName\": \"…\", \"secret\": \"…\", \"integrationCode\": \"…\"}."
            : simulator.AddUser(database.Id, userName, secret, code);
        await (problem is null
            ? XeroAdminJson.WriteAsync(context, StatusCodes.Status201Created, new { databaseId = database.Id, userName, secret, integrationCode = code })
            : XeroAdminJson.ErrorAsync(context, problem.Contains("already exists", StringComparison.Ordinal) ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest, problem));
    }

    public async Task BooksAsync(HttpContext context)
    {
        var books = Database(context) is { } database ? simulator.GetBooks(database.Id) : null;
        await (books is null ? NoSuchDatabaseAsync(context) : XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK, books));
    }

    /// <summary><c>PUT databases/{id}/limits</c> with any of requestsPerHour, threadsPerEndpoint, halfUseLatencyMs, threeQuarterUseLatencyMs (0 = off).</summary>
    public async Task PutLimitsAsync(HttpContext context)
    {
        if (Database(context) is not { } database)
        {
            await NoSuchDatabaseAsync(context);
            return;
        }

        using var body = await XeroAdminJson.ReadObjectAsync(context);
        var limits = body is null ? null : LimitNames.Select(name => Limit(body.RootElement, name)).ToArray();
        if (limits is null || limits.Any(l => l < 0))
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object: {\"requestsPerHour\": 10000, \"threadsPerEndpoint\": 3, \"halfUseLatencyMs\": 500, \"threeQuarterUseLatencyMs\": 1000} (0 turns one off).");
            return;
        }

        simulator.Configure(database.Id, limits[0], limits[1], limits[2], limits[3]);
        await XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK, simulator.GetBooks(database.Id)!["limits"]!);
    }

    /// <summary>
    /// <c>POST databases/{id}/usage</c> <c>{"requests": 6000, "integrationCode": "RMMTOOL"}</c>: the database's other
    /// integrations (an RMM, a quoting tool) made that many calls just now; they count against the shared hourly threshold.
    /// </summary>
    public async Task AddUsageAsync(HttpContext context)
    {
        if (Database(context) is not { } database)
        {
            await NoSuchDatabaseAsync(context);
            return;
        }

        using var body = await XeroAdminJson.ReadObjectAsync(context);
        var requests = body is null ? null : XeroAdminJson.Int(body.RootElement, "requests");
        var code = (body is null ? null : XeroAdminJson.String(body.RootElement, "integrationCode")) ?? "OTHERINTEGRATION";
        if (requests is not (>= 1 and <= 1_000_000) || code.Length > AutotaskSimulator.MaxCredentialLength)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object: {\"requests\": 1-1000000, \"integrationCode\": \"RMMTOOL\"}.");
            return;
        }

        database.Throttle.Consume(requests.Value);
        lock (database.Gate)
        {
            database.RequestsByIntegrationCode[code] = database.RequestsByIntegrationCode.GetValueOrDefault(code) + requests.Value;
        }

        await XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK, new { usedThisHour = database.Throttle.Used(), requestsPerHour = database.Throttle.PerHour });
    }

    /// <summary>A limit of the body: null when absent, -1 when present but not a whole number.</summary>
    private static int? Limit(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null : XeroAdminJson.Int(root, name) ?? -1;

    private AutotaskDatabase? Database(HttpContext context) =>
        context.Request.RouteValues["databaseId"] is string id ? simulator.Find(id) : null;

    private static Task NoSuchDatabaseAsync(HttpContext context) => XeroAdminJson.ErrorAsync(context, StatusCodes.Status404NotFound, "No such database.");
}
