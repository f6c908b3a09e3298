using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// <c>PUT /Payments</c> (one payment, or <c>{"Payments": […]}</c>) and <c>POST /Payments/{PaymentID}</c> with
/// <c>{"Status": "DELETED"}</c>. A batch is all or nothing: if any payment fails validation nothing is applied and the
/// answer is a ValidationException echoing every element, the failing ones with their <c>ValidationErrors</c>.
/// </summary>
internal sealed partial class XeroApiHandler
{
    private const int MaxPaymentsPerCall = 1000;

    private static XeroHttpResponse CreatePayments(XeroOrganisation organisation, byte[] body)
    {
        var root = ParseObject(body);
        var elements = root["Payments"] is JsonArray list ? [.. list] : new List<JsonNode?> { root };
        if (elements.Count is 0 or > MaxPaymentsPerCall || elements.Any(e => e is not JsonObject))
        {
            throw XeroErrors.PostDataInvalid($"Send one payment, or 1 to {MaxPaymentsPerCall} payment objects under \"Payments\".");
        }

        var pending = new Dictionary<Guid, decimal>();
        var checkedPayments = elements.Cast<JsonObject>().Select(e => (Element: e, Result: XeroPaymentValidator.Check(organisation, e, pending))).ToList();
        if (checkedPayments.Any(c => c.Result.Errors.Count > 0))
        {
            var echoed = new JsonArray();
            foreach (var (element, result) in checkedPayments)
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

        var created = checkedPayments
            .Select(c => c.Result.Payment!)
            .Select(p => organisation.ApplyPayment(p.Invoice, p.Account, p.Date, p.Amount, p.Reference, p.CurrencyRate, p.IsReconciled))
            .ToList();
        return Ok(organisation, "Payments", created.Select(XeroWire.Payment));
    }

    /// <summary>Payments cannot be edited: the only change Xero takes is <c>Status: DELETED</c>.</summary>
    private static XeroHttpResponse DeletePayment(XeroOrganisation organisation, string? id, byte[] body)
    {
        if (!Guid.TryParse(id, out var paymentId) || organisation.Payments.GetValueOrDefault(paymentId) is not { } payment)
        {
            throw XeroErrors.NotFound();
        }

        var root = ParseObject(body);
        var element = root["Payments"] is JsonArray { Count: 1 } list && list[0] is JsonObject first ? first : root;
        var status = element["Status"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (!string.Equals(status, "DELETED", StringComparison.OrdinalIgnoreCase))
        {
            throw XeroErrors.Validation(element.DeepClone().AsObject(), XeroMessages.OnlyDelete);
        }

        if (payment.Status == "DELETED")
        {
            throw XeroErrors.Validation(element.DeepClone().AsObject(), XeroMessages.AlreadyDeleted);
        }

        organisation.DeletePayment(payment);
        return Ok(organisation, "Payments", [XeroWire.Payment(payment)]);
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
