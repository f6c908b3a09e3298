using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>
/// The <c>/v3/company/{realmId}/…</c> surface: bearer authentication, per-company throttling, requestid replay, and
/// dispatch to reads, queries and writes. Every answer is JSON in QuickBooks' shapes; nothing escapes as a 500 page.
/// </summary>
internal sealed partial class QboApiHandler(QuickBooksSimulator simulator, QboWebhookDispatcher webhooks, ILogger<QboApiHandler> logger)
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    public async Task HandleCompanyAsync(HttpContext context)
    {
        var realmId = context.Request.RouteValues["realmId"] as string ?? "";
        var path = context.Request.RouteValues["path"] as string ?? "";
        QboHttpResponse response;
        try
        {
            response = await ProcessAsync(context, realmId, path);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, context.Request.Method, context.Request.Path);
            response = Fault(QboFaults.SystemFailure());
        }

        await WriteAsync(context, response);
    }

    /// <summary>Anything under <c>/v3</c> that is not a company path.</summary>
    public Task HandleUnroutedAsync(HttpContext context)
    {
        var response = BearerToken(context.Request) is null
            ? Unauthorized("Authorization header is missing or is not a Bearer token")
            : Fault(QboFaults.Unsupported($"Could not find resource for relative : {context.Request.Path}"));
        return WriteAsync(context, response);
    }

    private async Task<QboHttpResponse> ProcessAsync(HttpContext context, string realmId, string path)
    {
        var request = context.Request;
        var company = simulator.Find(realmId);
        var token = BearerToken(request);
        if (token is null)
        {
            return Unauthorized("Authorization header is missing or is not a Bearer token");
        }

        if (company is null || !string.Equals(token, company.AccessToken, StringComparison.Ordinal))
        {
            return Unauthorized("Token invalid or expired for this realm");
        }

        company.CountRequest();
        if (!company.Throttle.TryEnter())
        {
            company.CountThrottled();
            return Throttled();
        }

        try
        {
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (HttpMethods.IsGet(request.Method))
            {
                return Get(company, segments, request.Query);
            }

            if (HttpMethods.IsPost(request.Method))
            {
                var body = await ReadBodyAsync(request, context.RequestAborted);
                if (segments.Length == 1 && segments[0].Equals("query", StringComparison.OrdinalIgnoreCase))
                {
                    return RunQuery(company, Encoding.UTF8.GetString(body));
                }

                return Post(company, segments, request.Query, body);
            }

            return Fault(QboFaults.Unsupported($"{request.Method} {path}"));
        }
        catch (QboFaultException fault)
        {
            return Fault(fault, company);
        }
        finally
        {
            company.Throttle.Exit();
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken) =>
        await SandboxRequests.ReadBodyAsync(request, MaxBodyBytes, cancellationToken)
            ?? throw new QboFaultException(413, "6030", "Upload request size exceeds allowed limit", $"The request body must not exceed {MaxBodyBytes} bytes.");

    private static string? BearerToken(HttpRequest request) => SandboxRequests.BearerToken(request);

    private static async Task WriteAsync(HttpContext context, QboHttpResponse response)
    {
        var http = context.Response;
        http.StatusCode = response.Status;
        http.ContentType = "application/json;charset=UTF-8";
        http.Headers["intuit_tid"] = new StringValues(Guid.NewGuid().ToString("D"));
        if (response.Status == StatusCodes.Status401Unauthorized)
        {
            http.Headers.WWWAuthenticate = "Bearer realm=\"Intuit\", error=\"invalid_token\"";
        }

        http.ContentLength = response.Body.Length;
        await http.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    [LoggerMessage(LogLevel.Error, "QuickBooks simulator failed on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);
}
