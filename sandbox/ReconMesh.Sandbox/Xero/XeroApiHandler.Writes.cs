using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// The writes: <c>PUT /Payments</c>, <c>/BankTransfers</c>, <c>/BankTransactions</c> (one element, or a list under the
/// collection's name) and <c>POST /Payments/{id}</c>, <c>/BankTransactions/{id}</c> with <c>{"Status": "DELETED"}</c>.
/// A batch is all or nothing: if any element fails validation nothing is written and the answer is a
/// ValidationException echoing every element, the failing ones with their <c>ValidationErrors</c>; with
/// <c>summarizeErrors=false</c> the valid elements are written and the answer is a 200 with each element's
/// <c>StatusAttributeString</c> (OK or ERROR).
/// </summary>
internal sealed partial class XeroApiHandler
{
    private const int MaxElementsPerCall = 1000;

    private static XeroHttpResponse CreatePayments(XeroOrganisation organisation, byte[] body, bool summarized)
    {
        var pending = new Dictionary<Guid, decimal>();
        return WriteBatch(organisation, body, summarized, "Payments", e => XeroPaymentValidator.Check(organisation, e, pending),
            p => XeroWire.Payment(organisation.ApplyPayment(p.Invoice, p.Account, p.Date, p.Amount, p.Reference, p.CurrencyRate, p.IsReconciled)));
    }

    private static XeroHttpResponse CreateBankTransfers(XeroOrganisation organisation, byte[] body, bool summarized) =>
        WriteBatch(organisation, body, summarized, "BankTransfers", e => XeroBankingValidator.CheckTransfer(organisation, e),
            t => XeroBankingWire.Transfer(organisation.Transfer(t.From, t.To, t.Amount, t.Date, t.Reference)));

    private static XeroHttpResponse CreateBankTransactions(XeroOrganisation organisation, byte[] body, bool summarized) =>
        WriteBatch(organisation, body, summarized, "BankTransactions", e => XeroBankingValidator.CheckTransaction(organisation, e),
            t => XeroBankingWire.Transaction(organisation.Record(t.Type, t.Contact, t.BankAccount, t.LineItems, t.Date, t.Reference, t.IsReconciled)));

    /// <summary>Payments cannot be edited: the only change Xero takes is <c>Status: DELETED</c>.</summary>
    private static XeroHttpResponse DeletePayment(XeroOrganisation organisation, string? id, byte[] body) =>
        DeleteOne(organisation, body, "Payments", Guid.TryParse(id, out var paymentId) ? organisation.Payments.GetValueOrDefault(paymentId) : null,
            p => p.Status == "DELETED", organisation.DeletePayment, XeroWire.Payment, XeroMessages.OnlyDelete);

    private static XeroHttpResponse DeleteBankTransaction(XeroOrganisation organisation, string? id, byte[] body) =>
        DeleteOne(organisation, body, "BankTransactions",
            Guid.TryParse(id, out var transactionId) ? organisation.BankTransactions.GetValueOrDefault(transactionId) : null,
            t => t.Status == "DELETED", organisation.Delete, XeroBankingWire.Transaction, XeroMessages.OnlyDeleteTransaction);

    private static XeroHttpResponse WriteBatch<T>(XeroOrganisation organisation, byte[] body, bool summarized, string collection,
        Func<JsonObject, XeroCheck<T>> check, Func<T, JsonObject> write)
        where T : class
    {
        var root = ParseObject(body);
        var elements = root[collection] is JsonArray list ? [.. list] : new List<JsonNode?> { root };
        if (elements.Count is 0 or > MaxElementsPerCall || elements.Any(e => e is not JsonObject))
        {
            throw XeroErrors.PostDataInvalid($"Send one element, or 1 to {MaxElementsPerCall} objects under \"{collection}\".");
        }

        var checks = elements.Cast<JsonObject>().Select(e => (Element: e, Result: check(e))).ToList();
        if (!summarized)
        {
            return Ok(organisation, collection, [.. checks.Select(c => c.Result.Draft is { } draft
                ? Outcome(write(draft), "OK")
                : Outcome(c.Element.DeepClone().AsObject(), "ERROR", c.Result.Errors))]);
        }

        if (checks.Any(c => c.Result.Errors.Count > 0))
        {
            var echoed = new JsonArray();
            foreach (var (element, result) in checks)
            {
                var copy = element.DeepClone().AsObject();
                if (result.Errors.Count > 0)
                {
                    copy["ValidationErrors"] = XeroErrors.Messages(result.Errors);
                }

                echoed.Add(copy);
            }

            throw XeroErrors.Validation(echoed);
        }

        return Ok(organisation, collection, [.. checks.Select(c => write(c.Result.Draft!))]);
    }

    /// <summary>An element of a <c>summarizeErrors=false</c> answer: <c>StatusAttributeString</c> and, on an error, its <c>ValidationErrors</c>.</summary>
    private static JsonObject Outcome(JsonObject element, string status, IReadOnlyList<string>? errors = null)
    {
        element["StatusAttributeString"] = status;
        if (errors is not null)
        {
            element["ValidationErrors"] = XeroErrors.Messages(errors);
        }

        return element;
    }

    private static XeroHttpResponse DeleteOne<T>(XeroOrganisation organisation, byte[] body, string collection, T? record,
        Func<T, bool> isDeleted, Action<T> delete, Func<T, JsonObject> render, string onlyDelete)
        where T : class
    {
        if (record is null)
        {
            throw XeroErrors.NotFound();
        }

        var root = ParseObject(body);
        var element = root[collection] is JsonArray { Count: 1 } list && list[0] is JsonObject first ? first : root;
        if (!string.Equals(XeroElements.Text(element, "Status"), "DELETED", StringComparison.OrdinalIgnoreCase))
        {
            throw XeroErrors.Validation(element.DeepClone().AsObject(), onlyDelete);
        }

        if (isDeleted(record))
        {
            throw XeroErrors.Validation(element.DeepClone().AsObject(), XeroMessages.AlreadyDeleted);
        }

        delete(record);
        return Ok(organisation, collection, [render(record)]);
    }

    private static JsonObject ParseObject(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) as JsonObject
                ?? throw XeroErrors.PostDataInvalid("The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw XeroErrors.PostDataInvalid("The request body is not valid JSON.");
        }
    }
}
