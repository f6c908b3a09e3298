using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>Writes of the v3 API: requestid replay, the body read against the entity's schema, and dispatch to the company's write for the entity and operation.</summary>
internal sealed partial class QboApiHandler
{
    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = 64 };

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
}
