using System.Globalization;
using ReconMesh.Domain.Writeback;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>
/// What ConnectWise's records, read again just before ReconMesh writes to them, decide: whether an invoice is gone,
/// in another currency, or owes less than the portion pays (re-priced, credited or paid there already), each a
/// needs-attention outcome with nothing written; and whether a payment is ReconMesh's own earlier write. The one place
/// these are decided; no call is made here.
/// </summary>
public static class ConnectWiseWriteRules
{
    /// <summary>An invoice id that cannot be ConnectWise's: there is no such invoice to pay.</summary>
    public static WritebackOutcome.NeedsAttention NotAnInvoiceId(string externalInvoiceId) =>
        new("invoice-deleted", $"Invoice {externalInvoiceId} is not a ConnectWise invoice id; nothing was written.");

    /// <summary>The invoice is gone from ConnectWise (deleted by a person).</summary>
    public static WritebackOutcome.NeedsAttention Deleted(string externalInvoiceId) =>
        new("invoice-deleted", $"Invoice {externalInvoiceId} no longer exists in ConnectWise; nothing was written.");

    /// <summary>
    /// Why <paramref name="portion"/> cannot be paid on <paramref name="invoice"/> as ConnectWise holds it now, or null
    /// when it can. ConnectWise refuses a payment above the balance, and an invoice payment cannot hold unapplied
    /// credit, so there is no overpayment here.
    /// </summary>
    public static WritebackOutcome.NeedsAttention? Refusal(ConnectWiseInvoice invoice, InvoicePortion portion, string currency)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(portion);
        var name = invoice.InvoiceNumber ?? invoice.Id.ToString(CultureInfo.InvariantCulture);
        var invoiceCurrency = invoice.Currency?.CurrencyCode ?? "USD";
        if (!string.Equals(invoiceCurrency, currency, StringComparison.OrdinalIgnoreCase))
        {
            return new("currency-mismatch", $"Invoice {name} is in {invoiceCurrency}, the payment in {currency}; nothing was written.");
        }

        var balance = invoice.Balance ?? 0m;
        if (balance < portion.Amount)
        {
            return new("invoice-balance-changed",
                $"Invoice {name} has a balance of {balance} in ConnectWise, less than the {portion.Amount} paid " +
                "(paid or credited there already?); nothing was written.");
        }

        return null;
    }

    /// <summary>ConnectWise refused the payment itself (e.g. the balance changed between the check and the write).</summary>
    public static WritebackOutcome.NeedsAttention Refused(string invoiceName, ConnectWiseException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new("invoice-balance-changed", $"ConnectWise refused the payment for invoice {invoiceName}: {refusal.Message}; nothing was written for it.");
    }

    /// <summary>A payment whose appliedBy carries this payment's <paramref name="marker"/>: our own write.</summary>
    public static bool IsOwnPayment(ConnectWisePayment payment, string marker)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return payment.AppliedBy?.Contains(marker, StringComparison.OrdinalIgnoreCase) == true;
    }
}
