using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = 64 };

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

    private static QboHttpResponse Get(QboCompany company, string[] segments, IQueryCollection query)
    {
        if (segments.Length == 1 && segments[0].Equals("query", StringComparison.OrdinalIgnoreCase))
        {
            return RunQuery(company, query["query"].ToString());
        }

        if (segments.Length == 1 && segments[0].Equals("cdc", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var (entities, since) = QboCompany.ParseCdcRequest(query["entities"].ToString(), query["changedSince"].ToString(), company.Clock);
                using (company.Reading())
                {
                    var changes = company.ChangeDataCapture(entities, since);
                    return new QboHttpResponse(StatusCodes.Status200OK, QboWire.ChangeDataCapture(changes, company.Clock.ResponseTime()));
                }
            }
            catch (QboFaultException fault)
            {
                return Fault(fault, company);
            }
        }

        if (segments.Length == 2 && segments[0].Equals("companyinfo", StringComparison.OrdinalIgnoreCase))
        {
            using (company.Reading())
            {
                return segments[1] == company.RealmId
                    ? Envelope(company, QboSchemas.CompanyInfo, company.CompanyInfo())
                    : Fault(QboFaults.NotFound(deleted: false), company);
            }
        }

        if (segments.Length == 2 && QboSchemas.Readable.TryGetValue(segments[0], out var entity))
        {
            using (company.Reading())
            {
                try
                {
                    return Envelope(company, entity, company.Read(entity, segments[1]));
                }
                catch (QboFaultException fault)
                {
                    return Fault(fault, company);
                }
            }
        }

        return Fault(QboFaults.Unsupported($"GET {string.Join('/', segments)}"), company);
    }

    private static QboHttpResponse RunQuery(QboCompany company, string text)
    {
        try
        {
            var query = QboQueryParser.Parse(text);
            using (company.Reading())
            {
                var result = company.Query(query);
                return new QboHttpResponse(StatusCodes.Status200OK, QboWire.QueryResponse(result, company.Clock.ResponseTime()));
            }
        }
        catch (QboFaultException fault)
        {
            return Fault(fault, company);
        }
    }

    /// <summary>
    /// Writes. The company's write lock is held from the requestid look-up to storing the answer, so concurrent requests
    /// with one requestid write once and all get the first answer. The changes a write made are handed to the webhook
    /// dispatcher after the lock is released.
    /// </summary>
    private QboHttpResponse Post(QboCompany company, string[] segments, IQueryCollection query, byte[] body)
    {
        var requestId = query["requestid"].ToString();
        QboHttpResponse response;
        IReadOnlyList<QboChange> changes;
        using (company.Writing())
        {
            if (requestId.Length > 0 && company.Replays.TryGet(requestId, out var first))
            {
                return first;
            }

            try
            {
                response = Write(company, segments, query, body);
            }
            catch (QboFaultException fault)
            {
                company.DiscardChanges();
                response = Fault(fault, company);
            }

            if (requestId.Length > 0)
            {
                company.Replays.Store(requestId, response);
            }

            changes = company.DrainChanges();
        }

        webhooks.Enqueue(changes);
        return response;
    }

    private static QboHttpResponse Write(QboCompany company, string[] segments, IQueryCollection query, byte[] body)
    {
        if (segments.Length != 1 || !QboSchemas.Readable.TryGetValue(segments[0], out var entity))
        {
            throw QboFaults.Unsupported($"Could not find resource for relative : /{string.Join('/', segments)}");
        }

        var operation = query["operation"].ToString().Trim().ToLowerInvariant();

        var includes = new HashSet<string>(
            query["include"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            StringComparer.OrdinalIgnoreCase);
        var allowDuplicateDocNumber = includes.Contains("allowduplicatedocnum");

        var schema = entity switch
        {
            QboSchemas.Invoice => QboSchemas.InvoiceSchema,
            QboSchemas.Customer => QboSchemas.CustomerSchema,
            QboSchemas.Account => QboSchemas.AccountSchema,
            QboSchemas.Deposit => QboSchemas.DepositSchema,
            QboSchemas.Item => QboSchemas.ItemSchema,
            _ => QboSchemas.PaymentSchema,
        };
        var input = ParseBody(body, schema);
        var sparse = QboJson.GetBool(input, "sparse") == true;
        var isUpdate = operation == "update" || (operation.Length == 0 && !string.IsNullOrWhiteSpace(QboJson.GetString(input, "Id")));
        if (entity is QboSchemas.Item && (isUpdate || operation.Length > 0))
        {
            throw QboFaults.Unsupported($"{(operation.Length == 0 ? "update" : operation)} of {entity} (items can be read and created in the QuickBooks simulator)");
        }

        QboRecord record;
        switch (entity, operation)
        {
            case (QboSchemas.Payment, "update") when includes.Contains("void"):
                record = company.VoidPayment(input);
                break;
            case (QboSchemas.Invoice, "void"):
                record = company.VoidInvoice(input);
                break;
            case (QboSchemas.Invoice, "delete"):
                return Deleted(company, entity, company.DeleteInvoice(input));
            case (QboSchemas.Payment, "delete"):
                return Deleted(company, entity, company.DeletePayment(input));
            case (QboSchemas.Deposit, "delete"):
                return Deleted(company, entity, company.DeleteDeposit(input));
            case (_, "" or "update"):
                record = (entity, isUpdate) switch
                {
                    (QboSchemas.Invoice, false) => company.CreateInvoice(input, allowDuplicateDocNumber),
                    (QboSchemas.Invoice, true) => company.UpdateInvoice(input, sparse, allowDuplicateDocNumber),
                    (QboSchemas.Customer, false) => company.CreateCustomer(input),
                    (QboSchemas.Customer, true) => company.UpdateCustomer(input, sparse),
                    (QboSchemas.Account, false) => company.CreateAccount(input),
                    (QboSchemas.Account, true) => company.UpdateAccount(input, sparse),
                    (QboSchemas.Deposit, false) => company.CreateDeposit(input),
                    (QboSchemas.Deposit, true) => company.UpdateDeposit(input, sparse),
                    (QboSchemas.Item, false) => company.CreateItem(input),
                    (_, false) => company.CreatePayment(input),
                    (_, true) => company.UpdatePayment(input, sparse),
                };
                break;
            default:
                throw QboFaults.Unsupported($"{(operation.Length > 0 ? char.ToUpperInvariant(operation[0]) + operation[1..] : operation)} for {entity}");
        }

        return Envelope(company, entity, record);
    }

    private static JsonObject ParseBody(byte[] body, QboObjectSchema schema)
    {
        if (body.Length == 0 || body.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            throw QboFaults.InvalidProperty("Request body is empty", "");
        }

        try
        {
            using var document = JsonDocument.Parse(body, BodyOptions);
            return schema.Normalize(document.RootElement);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}")
                : "";
            throw QboFaults.InvalidProperty($"Malformed JSON{where}: the request body could not be parsed", "");
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new QboFaultException(413, "6030", "Upload request size exceeds allowed limit",
                    $"The request body must not exceed {MaxBodyBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header["Bearer ".Length..].Trim();
        return token.Length == 0 ? null : token;
    }

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
