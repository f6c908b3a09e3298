using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>
/// The <c>/v4_6_release/apis/3.0/…</c> surface: Basic authentication (<c>companyId+publicKey:privateKey</c>), the
/// required <c>clientId</c> header, the per-site rate limit, and dispatch to the resources. Every answer is JSON; errors
/// use ConnectWise's <c>{code, message, errors}</c> body.
/// </summary>
internal sealed partial class CwApiHandler(ConnectWiseSimulator simulator, ILogger<CwApiHandler> logger)
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.RouteValues["path"] as string ?? "";
        CwHttpResponse response;
        try
        {
            response = await ProcessAsync(context, path);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (CwErrorException error)
        {
            response = Error(error);
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, ex, context.Request.Method, context.Request.Path);
            response = Error(new CwErrorException(500, "UnexpectedError", "An unexpected error occurred in the ConnectWise simulator."));
        }

        await response.WriteAsync(context);
    }

    private async Task<CwHttpResponse> ProcessAsync(HttpContext context, string path)
    {
        var request = context.Request;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // The signing key of callbacks is fetched by the subscriber from Metadata.key_url without API credentials.
        if (Is(segments, 0, "system") && Is(segments, 1, "callbackKeys") && segments.Length == 3 && HttpMethods.IsGet(request.Method))
        {
            var keySite = simulator.FindBySigningKey(segments[2]) ?? throw CwErrors.NotFound($"Callback key {segments[2]} not found");
            return Ok(new JsonObject { ["signing_key"] = keySite.SigningKey });
        }

        var site = Authenticate(request);
        var clientId = request.Headers["clientId"].ToString().Trim();
        if (clientId.Length == 0)
        {
            throw CwErrors.MissingClientId();
        }

        if (!string.Equals(clientId, site.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            throw CwErrors.InvalidClientId();
        }

        site.CountRequest();
        if (!site.Throttle.TryEnter(out var retryAfter))
        {
            site.CountThrottled();
            var throttled = CwErrors.Throttled(retryAfter);
            return new CwHttpResponse(throttled.Status, ErrorBody(throttled),
                new Dictionary<string, string> { ["Retry-After"] = retryAfter.ToString(CultureInfo.InvariantCulture) });
        }

        var actor = new CwActor(CwActor.ApiMember, ViaApi: true, BaseUrl(request));
        var method = request.Method;
        if (Is(segments, 0, "finance") && Is(segments, 1, "invoices"))
        {
            return await InvoicesAsync(context, site, actor, segments[2..]);
        }

        if (Is(segments, 0, "finance") && Is(segments, 1, "billingStatuses"))
        {
            RequireGet(method, path);
            return Collection(request, site, CwFieldMap.BillingStatus, segments[2..], "Billing status",
                () => [.. site.Statuses.Values.Select(CwSite.StatusJson)]);
        }

        if (Is(segments, 0, "company") && Is(segments, 1, "companies"))
        {
            RequireGet(method, path);
            return Collection(request, site, CwFieldMap.Company, segments[2..], "Company",
                site.Companies.Values, c => c.Id, c => c.Audit.LastUpdated, _ => null, c => site.CompanyJson(c, actor.BaseUrl));
        }

        if (Is(segments, 0, "company") && Is(segments, 1, "contacts"))
        {
            RequireGet(method, path);
            return Collection(request, site, CwFieldMap.Contact, segments[2..], "Contact",
                site.Contacts.Values, c => c.Id, c => c.Audit.LastUpdated, c => c.CompanyId, c => site.ContactJson(c, actor.BaseUrl));
        }

        if (Is(segments, 0, "system") && Is(segments, 1, "callbacks"))
        {
            return await CallbacksAsync(context, site, actor, segments[2..]);
        }

        throw CwErrors.NotFound($"No resource was found at {request.Path}.");
    }

    private CwSite Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            throw CwErrors.Unauthorized();
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            throw CwErrors.Unauthorized();
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? decoded : decoded[..colon];
        var password = colon < 0 ? "" : decoded[(colon + 1)..];
        var plus = user.IndexOf('+', StringComparison.Ordinal);
        if (plus <= 0)
        {
            throw CwErrors.Unauthorized();
        }

        var site = simulator.Find(user[..plus]) ?? throw CwErrors.Unauthorized();
        if (!string.Equals(user[(plus + 1)..], site.PublicKey, StringComparison.Ordinal)
            || !string.Equals(password, site.PrivateKey, StringComparison.Ordinal))
        {
            site.CountRejected();
            throw CwErrors.Unauthorized();
        }

        return site;
    }

    private static bool Is(string[] segments, int index, string value) =>
        segments.Length > index && string.Equals(segments[index], value, StringComparison.OrdinalIgnoreCase);

    private static void RequireGet(string method, string path)
    {
        if (!HttpMethods.IsGet(method))
        {
            throw CwErrors.MethodNotAllowed(method, path);
        }
    }

    private static int ParseId(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw CwErrors.NotFound($"{name} ID {text} not found");

    private static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}{CwSite.ApiPath}";

    private static async Task<JsonElement> ReadJsonAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new CwErrorException(413, "RequestTooLarge", $"The request body must not exceed {MaxBodyBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return CwBodyReader.Parse(buffer.ToArray());
    }

    private static CwHttpResponse Ok(JsonNode body) => new(StatusCodes.Status200OK, body);

    private static CwHttpResponse Created(JsonNode body) => new(StatusCodes.Status201Created, body);

    private static CwHttpResponse NoContent() => new(StatusCodes.Status204NoContent, null);

    private static CwHttpResponse Error(CwErrorException error) => new(error.Status, ErrorBody(error));

    public static JsonObject ErrorBody(CwErrorException error)
    {
        var body = new JsonObject { ["code"] = error.Code, ["message"] = error.Message };
        if (error.Errors.Count > 0)
        {
            body["errors"] = new JsonArray([.. error.Errors.Select(e => (JsonNode)new JsonObject
            {
                ["code"] = e.Code,
                ["message"] = e.Message,
                ["resource"] = e.Resource,
                ["field"] = e.Field,
            })]);
        }

        return body;
    }

    [LoggerMessage(LogLevel.Error, "ConnectWise simulator failed on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);
}
