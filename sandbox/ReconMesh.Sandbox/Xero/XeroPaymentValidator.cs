using System.Globalization;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Xero's rules for a new payment: an invoice (by InvoiceID or InvoiceNumber) that is AUTHORISED, an account (by
/// AccountID or Code) that is active and is BANK or has payments enabled, a Date, an Amount above 0 and not above the
/// amount still due (counting earlier payments of the same call), a Reference of at most 255 characters.
/// </summary>
internal static class XeroPaymentValidator
{
    public static XeroPaymentCheck Check(XeroOrganisation organisation, JsonObject element, Dictionary<Guid, decimal> pending)
    {
        var errors = new List<string>();
        var invoice = FindInvoice(organisation, element["Invoice"] as JsonObject, errors);
        var account = FindAccount(organisation, element["Account"] as JsonObject, errors);
        var hasDate = XeroDates.TryParseDate(Text(element, "Date"), out var date);
        if (!hasDate)
        {
            errors.Add(XeroMessages.DateMissing);
        }

        var amount = Number(element, "Amount");
        if (amount is not > 0)
        {
            errors.Add(XeroMessages.AmountNotPositive);
        }

        var reference = Text(element, "Reference");
        if (reference?.Length > XeroOrganisation.MaxTextLength)
        {
            errors.Add(XeroMessages.ReferenceTooLong);
        }

        if (invoice is not null && amount is > 0)
        {
            var rounded = XeroWire.Money(amount.Value);
            var alreadyPending = pending.GetValueOrDefault(invoice.InvoiceId);
            if (invoice.Status is not ("AUTHORISED" or "PAID"))
            {
                errors.Add(XeroMessages.InvoiceNotAuthorised);
            }
            else if (rounded > invoice.AmountDue - alreadyPending)
            {
                errors.Add(XeroMessages.AmountExceedsOutstanding);
            }
            else if (errors.Count == 0)
            {
                pending[invoice.InvoiceId] = alreadyPending + rounded;
            }
        }

        if (errors.Count > 0)
        {
            return new XeroPaymentCheck(null, errors);
        }

        var rate = Number(element, "CurrencyRate") is { } r && r > 0 ? r : 1m;
        var reconciled = element["IsReconciled"] is JsonValue flag && flag.TryGetValue<bool>(out var isReconciled) && isReconciled;
        return new XeroPaymentCheck(new XeroPaymentDraft(invoice!, account!, date, XeroWire.Money(amount!.Value), reference, rate, reconciled), []);
    }

    private static XeroInvoice? FindInvoice(XeroOrganisation organisation, JsonObject? reference, List<string> errors) =>
        Resolve(reference, "InvoiceID", "InvoiceNumber", organisation.Invoices.GetValueOrDefault, organisation.InvoiceByNumber,
            XeroMessages.InvoiceMissing, XeroMessages.InvoiceNotFound, errors);

    private static XeroAccount? FindAccount(XeroOrganisation organisation, JsonObject? reference, List<string> errors)
    {
        var account = Resolve(reference, "AccountID", "Code", organisation.Accounts.GetValueOrDefault, organisation.AccountByCode,
            XeroMessages.AccountMissing, XeroMessages.AccountNotFound, errors);
        if (account is { Status: not "ACTIVE" })
        {
            errors.Add(XeroMessages.AccountArchived);
        }
        else if (account is { AcceptsPayments: false })
        {
            errors.Add(XeroMessages.AccountCannotTakePayments);
        }

        return account;
    }

    /// <summary>A record a payment refers to by its id (<paramref name="idName"/>) or else by its key (number or code).</summary>
    private static T? Resolve<T>(JsonObject? reference, string idName, string keyName, Func<Guid, T?> byId, Func<string, T?> byKey,
        string missing, string notFound, List<string> errors)
        where T : class
    {
        var id = reference is null ? null : Text(reference, idName);
        var key = reference is null ? null : Text(reference, keyName);
        if (string.IsNullOrWhiteSpace(id) && string.IsNullOrWhiteSpace(key))
        {
            errors.Add(missing);
            return null;
        }

        var found = !string.IsNullOrWhiteSpace(id)
            ? Guid.TryParse(id, out var guid) ? byId(guid) : null
            : key!.Length <= XeroOrganisation.MaxTextLength ? byKey(key) : null;
        if (found is null)
        {
            errors.Add(notFound);
        }

        return found;
    }

    private static string? Text(JsonObject element, string name) =>
        element[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A number, or a number in a string (Xero's clients send both).</summary>
    private static decimal? Number(JsonObject element, string name) => element[name] switch
    {
        JsonValue value when value.TryGetValue<decimal>(out var number) => number,
        JsonValue value when value.TryGetValue<string>(out var text)
            && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
