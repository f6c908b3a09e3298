using ReconMesh.Domain.Writeback;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// What QuickBooks' records, read again just before ReconMesh writes to them, decide: whether an invoice was deleted,
/// voided, re-priced or already paid there (a person must look, nothing is written), whether a payment is voided, and
/// whether a payment is ReconMesh's own earlier write. The one place these are decided; no call is made here.
/// </summary>
public static class QuickBooksWriteRules
{
    /// <summary>A voided transaction: QuickBooks zeroes its amounts and starts its note with "Voided".</summary>
    public static bool IsVoided(QboInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return IsVoided(invoice.TotalAmt, invoice.PrivateNote);
    }

    /// <inheritdoc cref="IsVoided(QboInvoice)"/>
    public static bool IsVoided(QboPayment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return IsVoided(payment.TotalAmt, payment.PrivateNote);
    }

    /// <summary>
    /// One of ReconMesh's own invoices (a surcharge) with nothing left to void: it was created with an amount, so a
    /// zero total means it is voided already, by ReconMesh or by a person.
    /// </summary>
    public static bool HasNothingToVoid(QboInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return invoice.TotalAmt == 0m;
    }

    /// <summary>A payment that carries this payment's <paramref name="marker"/> and still counts: our own earlier write.</summary>
    public static bool IsOwnPayment(QboPayment payment, string marker)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return payment.PrivateNote?.Contains(marker, StringComparison.Ordinal) == true && payment.TotalAmt != 0m;
    }

    /// <summary>The invoice is gone from QuickBooks (deleted by a person).</summary>
    public static WritebackOutcome.NeedsAttention Deleted(string externalInvoiceId) =>
        new("invoice-deleted", $"Invoice {externalInvoiceId} no longer exists in QuickBooks; nothing was written.");

    /// <summary>
    /// Why <paramref name="portion"/> cannot be paid on <paramref name="invoice"/> as QuickBooks holds it now: in another
    /// currency, voided, or with less owed than the portion pays (re-priced, credited or paid there already, unless it
    /// is an <see cref="IsOverpayment">overpayment</see>); null when it can be paid.
    /// </summary>
    public static WritebackOutcome.NeedsAttention? Refusal(QboInvoice invoice, InvoicePortion portion, string currency)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(portion);
        var invoiceCurrency = invoice.CurrencyRef?.Value ?? "USD";
        if (!string.Equals(invoiceCurrency, currency, StringComparison.OrdinalIgnoreCase))
        {
            return new("currency-mismatch",
                $"Invoice {invoice.DocNumber ?? invoice.Id} is in {invoiceCurrency}, the payment in {currency}; nothing was written.");
        }

        if (IsVoided(invoice))
        {
            return new("invoice-voided", $"Invoice {invoice.DocNumber ?? invoice.Id} was voided in QuickBooks; nothing was written.");
        }

        if (invoice.Balance < portion.Amount && !IsOverpayment(invoice, portion))
        {
            return new("invoice-balance-changed",
                $"Invoice {invoice.DocNumber ?? invoice.Id} has a balance of {invoice.Balance} in QuickBooks, less than the {portion.Amount} paid " +
                "(paid or credited there already?); nothing was written.");
        }

        return null;
    }

    /// <summary>
    /// Overpayment policy: a customer who paid more than the whole invoice, on an invoice nobody has paid any of in
    /// QuickBooks, gets the invoice paid in full and the excess recorded as unapplied credit on the same Payment
    /// (QuickBooks' own UnappliedAmt). Anything else that exceeds the balance means the invoice changed in QuickBooks
    /// (paid by cheque, credited) and needs a person.
    /// </summary>
    public static bool IsOverpayment(QboInvoice invoice, InvoicePortion portion)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(portion);
        return portion.Amount > invoice.TotalAmt && invoice.Balance == invoice.TotalAmt && invoice.TotalAmt > 0m;
    }

    /// <summary>
    /// What a Payment line applies to an invoice owing <paramref name="balance"/>: the portion, but never more than the
    /// balance; the rest of an <see cref="IsOverpayment">overpayment</see> stays on the Payment as unapplied credit.
    /// </summary>
    public static decimal Applied(InvoicePortion portion, decimal balance)
    {
        ArgumentNullException.ThrowIfNull(portion);
        return Math.Min(portion.Amount, balance);
    }

    private static bool IsVoided(decimal total, string? note) =>
        total == 0m && (note?.StartsWith("Voided", StringComparison.OrdinalIgnoreCase) ?? false);
}
