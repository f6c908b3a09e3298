using ReconMesh.Domain.Writeback;

namespace ReconMesh.Integrations.Xero;

/// <summary>
/// What Xero's records, read again just before ReconMesh writes to them, decide: whether an invoice is gone, voided, in
/// another currency, or owes less than the portion pays (Xero refuses a payment above <c>AmountDue</c>, so there is no
/// overpayment here), each a needs-attention outcome with nothing written; and whether a payment is ReconMesh's own
/// earlier write. The one place these are decided; no call is made here.
/// </summary>
public static class XeroWriteRules
{
    /// <summary>Xero's <c>Reference</c> holds at most 255 characters.</summary>
    public const int MaxReference = 255;

    /// <summary>
    /// The reference of what ReconMesh writes: its marker first, so it is found again whatever follows, then the platform's
    /// record it stands for (e.g. "platform payment ch_3Nx…").
    /// </summary>
    public static string Reference(string marker, string platformRecord)
    {
        var reference = $"{marker} ({platformRecord})";
        return reference.Length <= MaxReference ? reference : reference[..MaxReference];
    }

    /// <summary>A payment whose reference carries this payment's <paramref name="marker"/>: our own write.</summary>
    public static bool IsOwn(string? reference, string marker) => reference?.Contains(marker, StringComparison.Ordinal) == true;

    /// <summary>The invoice is gone from Xero (deleted, or never there).</summary>
    public static WritebackOutcome.NeedsAttention Deleted(string externalInvoiceId) =>
        new("invoice-deleted", $"Invoice {externalInvoiceId} no longer exists in Xero; nothing was written.");

    /// <summary>
    /// Why <paramref name="portion"/> cannot be paid on <paramref name="invoice"/> as Xero holds it now, or null when it can.
    /// </summary>
    public static WritebackOutcome.NeedsAttention? Refusal(XeroInvoice invoice, InvoicePortion portion, string currency)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(portion);
        var name = string.IsNullOrEmpty(invoice.InvoiceNumber) ? invoice.InvoiceId : invoice.InvoiceNumber;
        var invoiceCurrency = invoice.CurrencyCode ?? "USD";
        if (!string.Equals(invoiceCurrency, currency, StringComparison.OrdinalIgnoreCase))
        {
            return new("currency-mismatch", $"Invoice {name} is in {invoiceCurrency}, the payment in {currency}; nothing was written.");
        }

        return invoice.Status switch
        {
            "DELETED" => Deleted(name),
            "VOIDED" => new("invoice-voided", $"Invoice {name} was voided in Xero; nothing was written."),
            "AUTHORISED" when invoice.AmountDue >= portion.Amount => null,
            _ => new("invoice-balance-changed",
                $"Invoice {name} is {invoice.Status} in Xero with {invoice.AmountDue} due, less than the {portion.Amount} paid " +
                "(paid or credited there already?); nothing was written."),
        };
    }

    /// <summary>Xero refused the payment itself (e.g. the amount due changed between the check and the write).</summary>
    public static WritebackOutcome.NeedsAttention Refused(string invoiceName, XeroException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new("invoice-balance-changed", $"{refusal.Message} (invoice {invoiceName}); nothing was written for it.");
    }
}
