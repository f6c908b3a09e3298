using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Xero's rules for a new payment: an invoice (by InvoiceID or InvoiceNumber) that is AUTHORISED, an account (by
/// AccountID or Code) that is active and is BANK or has payments enabled, a Date, an Amount above 0 and not above the
/// amount still due (counting earlier payments of the same call), a Reference of at most 255 characters.
/// </summary>
internal static class XeroPaymentValidator
{
    public static XeroCheck<XeroPaymentDraft> Check(XeroOrganisation organisation, JsonObject element, Dictionary<Guid, decimal> pending)
    {
        var errors = new List<string>();
        var invoice = XeroElements.Resolve(element["Invoice"] as JsonObject, "InvoiceID", "InvoiceNumber", organisation.Invoices.GetValueOrDefault,
            organisation.InvoiceByNumber, XeroMessages.InvoiceMissing, XeroMessages.InvoiceNotFound, errors);
        var account = XeroElements.Account(organisation, element["Account"] as JsonObject, XeroMessages.AccountMissing, bankOnly: false, errors);
        if (account is { Status: "ACTIVE", AcceptsPayments: false })
        {
            errors.Add(XeroMessages.AccountCannotTakePayments);
        }

        var date = XeroElements.Date(element, XeroMessages.DateMissing, errors);
        var amount = XeroElements.Number(element, "Amount");
        if (amount is not > 0)
        {
            errors.Add(XeroMessages.AmountNotPositive);
        }

        var reference = XeroElements.Reference(element, errors);
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
            return new XeroCheck<XeroPaymentDraft>(null, errors);
        }

        var rate = XeroElements.Number(element, "CurrencyRate") is { } r && r > 0 ? r : 1m;
        return new XeroCheck<XeroPaymentDraft>(
            new XeroPaymentDraft(invoice!, account!, date, XeroWire.Money(amount!.Value), reference, rate, XeroElements.Flag(element, "IsReconciled")), []);
    }
}
