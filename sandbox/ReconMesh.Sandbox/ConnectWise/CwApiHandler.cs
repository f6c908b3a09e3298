using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>An answer before it is written: status, JSON body (none for 204) and extra headers.</summary>
internal sealed record CwHttpResponse(int Status, JsonNode? Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>A list's rows, written as a JSON array in place of <see cref="Body"/> (shared renderings: not cloned, not changed).</summary>
    public IReadOnlyList<JsonNode>? Rows { get; init; }
}

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

        await WriteAsync(context, response);
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

    private static async Task<CwHttpResponse> InvoicesAsync(HttpContext context, CwSite site, CwActor actor, string[] rest)
    {
        var request = context.Request;
        var method = request.Method;
        if (rest.Length == 0 && HttpMethods.IsPost(method))
        {
            var body = await ReadJsonAsync(context);
            lock (site.Gate)
            {
                return Created(site.InvoiceJson(site.CreateInvoice(body, actor), actor.BaseUrl));
            }
        }

        if (rest.Length == 0 || (rest.Length == 1 && Is(rest, 0, "count")))
        {
            RequireGet(method, request.Path);
            return Collection(request, site, CwFieldMap.Invoice, rest, "Invoice",
                site.Invoices.Values, i => i.Id, i => i.Audit.LastUpdated, i => i.CompanyId, i => site.InvoiceJson(i, actor.BaseUrl));
        }

        var invoiceId = ParseId(rest[0], "Invoice");
        if (rest.Length == 1)
        {
            if (HttpMethods.IsGet(method))
            {
                lock (site.Gate)
                {
                    return Ok(site.InvoiceJson(site.RequireInvoice(invoiceId), actor.BaseUrl));
                }
            }

            if (HttpMethods.IsPatch(method))
            {
                var body = await ReadJsonAsync(context);
                lock (site.Gate)
                {
                    return Ok(site.InvoiceJson(site.PatchInvoice(invoiceId, body, actor), actor.BaseUrl));
                }
            }

            if (HttpMethods.IsDelete(method))
            {
                lock (site.Gate)
                {
                    site.DeleteInvoice(invoiceId, actor);
                    return NoContent();
                }
            }

            throw CwErrors.MethodNotAllowed(method, request.Path);
        }

        if (!Is(rest, 1, "payments"))
        {
            throw CwErrors.NotFound($"No resource was found at {request.Path}.");
        }

        if (rest.Length == 2 && HttpMethods.IsPost(method))
        {
            var body = await ReadJsonAsync(context);
            lock (site.Gate)
            {
                return Created(site.PaymentJson(site.AddPayment(invoiceId, body, actor), actor.BaseUrl));
            }
        }

        if (rest.Length == 2 || (rest.Length == 3 && Is(rest, 2, "count")))
        {
            RequireGet(method, request.Path);
            return Collection(request, site, CwFieldMap.Payment, rest[2..], "Payment", () =>
            {
                var invoice = site.RequireInvoice(invoiceId);
                return [.. invoice.PaymentIds.Select(id => site.PaymentJson(site.Payments[id], actor.BaseUrl))];
            });
        }

        if (rest.Length == 3)
        {
            var paymentId = ParseId(rest[2], "Payment");
            if (HttpMethods.IsGet(method))
            {
                lock (site.Gate)
                {
                    return Ok(site.PaymentJson(site.RequirePayment(invoiceId, paymentId), actor.BaseUrl));
                }
            }

            if (HttpMethods.IsDelete(method))
            {
                lock (site.Gate)
                {
                    site.DeletePayment(invoiceId, paymentId, actor);
                    return NoContent();
                }
            }

            throw CwErrors.MethodNotAllowed(method, request.Path);
        }

        throw CwErrors.NotFound($"No resource was found at {request.Path}.");
    }

    private static async Task<CwHttpResponse> CallbacksAsync(HttpContext context, CwSite site, CwActor actor, string[] rest)
    {
        var request = context.Request;
        var method = request.Method;
        if (rest.Length == 0 && HttpMethods.IsPost(method))
        {
            var body = await ReadJsonAsync(context);
            lock (site.Gate)
            {
                return Created(CwSite.CallbackJson(site.AddCallback(body, actor)));
            }
        }

        if (rest.Length == 1 && HttpMethods.IsDelete(method) && !Is(rest, 0, "count"))
        {
            var id = ParseId(rest[0], "Callback");
            lock (site.Gate)
            {
                if (!site.Callbacks.Remove(id))
                {
                    throw CwErrors.NotFound($"Callback ID {id} not found");
                }

                return NoContent();
            }
        }

        RequireGet(method, request.Path);
        return Collection(request, site, CwFieldMap.Callback, rest, "Callback", () => [.. site.Callbacks.Values.Select(CwSite.CallbackJson)]);
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

    private static async Task WriteAsync(HttpContext context, CwHttpResponse response)
    {
        var http = context.Response;
        http.StatusCode = response.Status;
        http.Headers.CacheControl = "no-cache";
        http.Headers.Pragma = "no-cache";
        http.Headers["x-cw-request-id"] = Guid.NewGuid().ToString("D");
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            http.Headers[name] = value;
        }

        if (response.Status == StatusCodes.Status401Unauthorized)
        {
            http.Headers.WWWAuthenticate = "Basic realm=\"ConnectWise\"";
        }

        byte[] bytes;
        if (response.Rows is { } rows)
        {
            bytes = CwJson.SerializeArray(rows);
        }
        else if (response.Body is not null)
        {
            bytes = CwJson.Serialize(response.Body);
        }
        else
        {
            return;
        }

        http.ContentType = "application/json; charset=utf-8";
        http.ContentLength = bytes.Length;
        await http.Body.WriteAsync(bytes, context.RequestAborted);
    }

    [LoggerMessage(LogLevel.Error, "ConnectWise simulator failed on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);
}
