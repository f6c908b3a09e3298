using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// The <c>/api.xro/2.0/…</c> surface: bearer token and <c>xero-tenant-id</c>, the organisation's limits (429 with
/// <c>Retry-After</c> and <c>X-Rate-Limit-Problem</c>; <c>X-MinLimit-Remaining</c>, <c>X-DayLimit-Remaining</c> and
/// <c>X-AppMinLimit-Remaining</c> on the others), <c>Idempotency-Key</c> replay on writes, and dispatch to reads and
/// writes. Paths are matched ignoring case, as Xero does. Nothing escapes as an HTML 500 page.
/// </summary>
internal sealed partial class XeroApiHandler(XeroSimulator simulator, ILogger<XeroApiHandler> logger)
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;
    private const int MaxIdempotencyKeyLength = 128;

    public async Task HandleAsync(HttpContext context)
    {
        XeroHttpResponse response;
        try
        {
            response = await ProcessAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (XeroApiException error)
        {
            response = error.Response;
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, context.Request.Method, context.Request.Path);
            response = XeroErrors.InternalError();
        }

        await WriteAsync(context, response);
    }

    private async Task<XeroHttpResponse> ProcessAsync(HttpContext context)
    {
        var request = context.Request;
        var token = SandboxRequests.BearerToken(request);
        if (token is null || !simulator.IsKnownToken(token))
        {
            return XeroErrors.Unauthorized("AuthenticationUnsuccessful");
        }

        if (simulator.ExpiredAt(token) is { } expired)
        {
            return XeroErrors.Unauthorized("TokenExpired: token expired at " + expired.UtcDateTime.ToString("MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture));
        }

        if (!Guid.TryParse(request.Headers["xero-tenant-id"].ToString(), out var tenantId)
            || !simulator.IsConnected(token, tenantId) || simulator.Find(tenantId) is not { } organisation)
        {
            return XeroErrors.Forbidden();
        }

        var decision = organisation.Throttle.TryEnter();
        var app = simulator.AppThrottle.TryEnter();
        simulator.AppThrottle.Exit();
        lock (organisation.Gate)
        {
            organisation.Requests++;
            organisation.Throttled += decision.Admitted ? 0 : 1;
        }

        if (!decision.Admitted)
        {
            return Throttled(decision);
        }

        try
        {
            var body = HttpMethods.IsGet(request.Method) ? [] : await ReadBodyAsync(request, context.RequestAborted);
            var response = Dispatch(organisation, request, body);
            return response with { Headers = RemainingHeaders(decision, app) };
        }
        finally
        {
            organisation.Throttle.Exit();
        }
    }

    private XeroHttpResponse Dispatch(XeroOrganisation organisation, HttpRequest request, byte[] body)
    {
        var path = request.RouteValues["path"] as string ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (segments.Length is 0 or > 2)
        {
            throw XeroErrors.NotFound();
        }

        var resource = segments[0].ToUpperInvariant();
        var id = segments.Length == 2 ? Uri.UnescapeDataString(segments[1]) : null;
        var isWrite = HttpMethods.IsPut(request.Method) || HttpMethods.IsPost(request.Method) || HttpMethods.IsPatch(request.Method);
        var key = request.Headers["Idempotency-Key"].ToString();
        lock (organisation.Gate)
        {
            if (!isWrite || !simulator.IdempotencyKeys || key.Length == 0)
            {
                return Route(organisation, request, resource, id, body);
            }

            if (key.Length > MaxIdempotencyKeyLength)
            {
                throw XeroErrors.Rejected(XeroMessages.IdempotencyKeyTooLong);
            }

            var fingerprint = Fingerprint(request, body);
            if (organisation.Idempotency.TryGet(key, out var seen, out var answer))
            {
                if (seen != fingerprint)
                {
                    throw XeroErrors.Rejected(XeroMessages.IdempotencyKeyReused(key));
                }

                organisation.IdempotentReplays++;
                return answer;
            }

            XeroHttpResponse response;
            try
            {
                response = Route(organisation, request, resource, id, body);
            }
            catch (XeroApiException error) when (error.Response.Status < 500)
            {
                response = error.Response;
            }

            organisation.Idempotency.Store(key, fingerprint, response);
            return response;
        }
    }

    private static XeroHttpResponse Route(XeroOrganisation organisation, HttpRequest request, string resource, string? id, byte[] body)
    {
        var method = request.Method;
        return (resource, HttpMethods.IsGet(method), id) switch
        {
            ("INVOICES", true, null) => ListInvoices(organisation, request),
            ("INVOICES", true, _) => GetInvoice(organisation, id),
            ("CONTACTS", true, null) => ListContacts(organisation, request),
            ("CONTACTS", true, _) => GetContact(organisation, id),
            ("ACCOUNTS", true, _) => ListAccounts(organisation, id),
            ("PAYMENTS", true, null) => ListPayments(organisation, request),
            ("PAYMENTS", true, _) => GetPayment(organisation, id),
            ("PAYMENTS", false, null) when HttpMethods.IsPut(method) || HttpMethods.IsPost(method) => CreatePayments(organisation, body, Summarized(request)),
            ("PAYMENTS", false, _) when HttpMethods.IsPost(method) => DeletePayment(organisation, id, body),
            ("BANKTRANSFERS", true, null) => ListBankTransfers(organisation, request),
            ("BANKTRANSFERS", true, _) => GetBankTransfer(organisation, id),
            ("BANKTRANSFERS", false, null) when HttpMethods.IsPut(method) || HttpMethods.IsPost(method) => CreateBankTransfers(organisation, body, Summarized(request)),
            ("BANKTRANSACTIONS", true, null) => ListBankTransactions(organisation, request),
            ("BANKTRANSACTIONS", true, _) => GetBankTransaction(organisation, id),
            ("BANKTRANSACTIONS", false, null) when HttpMethods.IsPut(method) || HttpMethods.IsPost(method) => CreateBankTransactions(organisation, body, Summarized(request)),
            ("BANKTRANSACTIONS", false, _) when HttpMethods.IsPost(method) => DeleteBankTransaction(organisation, id, body),
            ("INVOICES" or "CONTACTS" or "ACCOUNTS" or "PAYMENTS" or "BANKTRANSFERS" or "BANKTRANSACTIONS", _, _) => throw XeroErrors.MethodNotAllowed(),
            _ => throw XeroErrors.NotFound(),
        };
    }

    /// <summary><c>summarizeErrors=false</c> asks for a 200 with each element's outcome instead of an all-or-nothing 400.</summary>
    private static bool Summarized(HttpRequest request) =>
        !string.Equals(request.Query["summarizeErrors"].ToString(), "false", StringComparison.OrdinalIgnoreCase);

    private static string Fingerprint(HttpRequest request, byte[] body) =>
        $"{request.Method} {request.Path.Value?.ToUpperInvariant()}{request.QueryString.Value} {Convert.ToHexString(SHA256.HashData(body))}";

    private static XeroHttpResponse Throttled(XeroThrottleDecision decision)
    {
        var headers = new Dictionary<string, string> { ["X-Rate-Limit-Problem"] = decision.Problem! };
        if (decision.RetryAfterSeconds is { } seconds)
        {
            headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return new XeroHttpResponse(StatusCodes.Status429TooManyRequests, [], "text/plain; charset=utf-8") { Headers = headers };
    }

    private static Dictionary<string, string> RemainingHeaders(XeroThrottleDecision decision, XeroThrottleDecision app)
    {
        var headers = new Dictionary<string, string>();
        if (decision.MinuteRemaining is { } minute)
        {
            headers["X-MinLimit-Remaining"] = minute.ToString(CultureInfo.InvariantCulture);
        }

        if (decision.DayRemaining is { } day)
        {
            headers["X-DayLimit-Remaining"] = day.ToString(CultureInfo.InvariantCulture);
        }

        headers["X-AppMinLimit-Remaining"] = (app.MinuteRemaining ?? 0).ToString(CultureInfo.InvariantCulture);
        return headers;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken) =>
        await SandboxRequests.ReadBodyAsync(request, MaxBodyBytes, cancellationToken)
            ?? throw XeroErrors.PostDataInvalid($"The request body must not exceed {MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);

    private static async Task WriteAsync(HttpContext context, XeroHttpResponse response)
    {
        var http = context.Response;
        http.StatusCode = response.Status;
        http.ContentType = response.ContentType;
        http.Headers["Xero-Correlation-Id"] = Guid.NewGuid().ToString("D");
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        http.ContentLength = response.Body.Length;
        await http.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    [LoggerMessage(LogLevel.Error, "Xero simulator failed on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);
}
