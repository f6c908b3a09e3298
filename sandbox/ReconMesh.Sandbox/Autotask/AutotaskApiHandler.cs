using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// The <c>/atservicesrest/v1.0/…</c> surface (paths ignore case, as Autotask's do): the zone look-up (no credentials,
/// not counted), then on every other call the <c>ApiIntegrationCode</c>, <c>UserName</c> and <c>Secret</c> headers
/// (any of them missing or wrong: an empty 401), the database's hourly threshold (latency from 50% use, refused at
/// 100%) and the thread limit per integration code and object endpoint, and dispatch to reads and the invoice update.
/// Nothing escapes as an HTML 500 page.
/// </summary>
internal sealed partial class AutotaskApiHandler(AutotaskSimulator simulator, TimeProvider time, ILogger<AutotaskApiHandler> logger)
{
    private const int MaxBodyBytes = 1024 * 1024;
    private const string Version = "V1.0";

    public async Task HandleAsync(HttpContext context)
    {
        AutotaskHttpResponse response;
        try
        {
            response = await ProcessAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (AutotaskApiException error)
        {
            response = error.Response;
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, context.Request.Method, context.Request.Path);
            response = AutotaskErrors.Errors(StatusCodes.Status500InternalServerError, "An unexpected error has occurred.");
        }

        var http = context.Response;
        http.StatusCode = response.Status;
        if (response.Body.Length > 0)
        {
            http.ContentType = AutotaskHttpResponse.Json;
        }

        http.ContentLength = response.Body.Length;
        await http.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    private async Task<AutotaskHttpResponse> ProcessAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.RouteValues["path"] as string ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || !string.Equals(segments[0], Version, StringComparison.OrdinalIgnoreCase))
        {
            throw AutotaskErrors.NoRoute(request.Path + request.QueryString);
        }

        if (segments.Length == 2 && string.Equals(segments[1], "zoneInformation", StringComparison.OrdinalIgnoreCase))
        {
            return HttpMethods.IsGet(request.Method) ? ZoneInformation(request) : throw AutotaskErrors.MethodNotAllowed(request.Method);
        }

        var user = simulator.User(request.Headers["UserName"].ToString());
        if (user is null || !string.Equals(user.Secret, request.Headers["Secret"].ToString(), StringComparison.Ordinal)
            || !string.Equals(user.IntegrationCode, request.Headers["ApiIntegrationCode"].ToString(), StringComparison.Ordinal)
            || simulator.Find(user.DatabaseId) is not { } database)
        {
            return AutotaskErrors.Unauthorized();
        }

        var endpoint = AutotaskEntity.Find(segments[1])?.Name
            ?? (string.Equals(segments[1], "ThresholdInformation", StringComparison.OrdinalIgnoreCase) ? "ThresholdInformation" : null)
            ?? throw AutotaskErrors.NoRoute(request.Path + request.QueryString);
        var decision = database.Throttle.TryEnter(user.IntegrationCode, endpoint);
        lock (database.Gate)
        {
            if (decision.Admitted)
            {
                database.Requests++;
                database.Delayed += decision.LatencyMs > 0 ? 1 : 0;
                database.RequestsByIntegrationCode[user.IntegrationCode] = database.RequestsByIntegrationCode.GetValueOrDefault(user.IntegrationCode) + 1;
            }
            else if (decision.Refusal == AutotaskRefusal.HourlyThreshold)
            {
                database.ThresholdBlocked++;
            }
            else
            {
                database.ThreadLimited++;
            }
        }

        if (!decision.Admitted)
        {
            return AutotaskErrors.Errors(StatusCodes.Status429TooManyRequests, decision.Refusal == AutotaskRefusal.HourlyThreshold
                ? AutotaskMessages.ThresholdExceeded(database.Throttle.PerHour)
                : AutotaskMessages.ThreadLimit(endpoint, database.Throttle.ThreadsPerEndpoint));
        }

        try
        {
            if (decision.LatencyMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(decision.LatencyMs), time, context.RequestAborted);
            }

            var body = HttpMethods.IsGet(request.Method) || HttpMethods.IsDelete(request.Method) ? [] : await ReadBodyAsync(request, context.RequestAborted);
            return Route(database, request, segments, body);
        }
        finally
        {
            database.Throttle.Exit(user.IntegrationCode, endpoint);
        }
    }

    private static AutotaskHttpResponse Route(AutotaskDatabase database, HttpRequest request, string[] segments, byte[] body)
    {
        var method = request.Method;
        var isGet = HttpMethods.IsGet(method);
        if (AutotaskEntity.Find(segments[1]) is not { } entity)
        {
            return segments.Length == 2 && isGet ? ThresholdInformation(database) : throw AutotaskErrors.MethodNotAllowed(method);
        }

        var rest = segments.Length > 2 ? string.Join('/', segments[2..]).ToUpperInvariant() : "";
        var isQuery = isGet || HttpMethods.IsPost(method);
        return rest switch
        {
            "QUERY" when isQuery => Query(database, request, entity, SearchOf(request, body), null),
            "QUERY/COUNT" when isQuery => Count(database, entity, SearchOf(request, body)),
            "QUERY/NEXT" when HttpMethods.IsPost(method) || (isGet && request.Query.ContainsKey("search")) =>
                Query(database, request, entity, SearchOf(request, body), request.Query["paging"].ToString()),
            "ENTITYINFORMATION/FIELDS" when isGet => FieldsInformation(entity),
            "" when HttpMethods.IsPatch(method) && entity == AutotaskEntity.Invoices => UpdateInvoice(database, body),
            "QUERY" or "QUERY/COUNT" or "QUERY/NEXT" or "ENTITYINFORMATION/FIELDS" or "" => throw AutotaskErrors.MethodNotAllowed(method),
            _ when segments.Length == 3 && long.TryParse(segments[2], out var id) => isGet ? Get(database, entity, id) : throw AutotaskErrors.MethodNotAllowed(method),
            _ => throw AutotaskErrors.NoRoute(request.Path + request.QueryString),
        };
    }

    /// <summary>The search of a query: the <c>search</c> parameter of a GET, or a POST's body.</summary>
    private static string SearchOf(HttpRequest request, byte[] body) =>
        HttpMethods.IsGet(request.Method) ? request.Query["search"].ToString() : System.Text.Encoding.UTF8.GetString(body);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken) =>
        await SandboxRequests.ReadBodyAsync(request, MaxBodyBytes, cancellationToken)
            ?? throw AutotaskErrors.Error($"The request body must not exceed {MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);

    [LoggerMessage(LogLevel.Error, "Autotask simulator failed on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);
}
