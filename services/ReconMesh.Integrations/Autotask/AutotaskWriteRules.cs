using System.Globalization;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.Autotask;

/// <summary>
/// What an Autotask invoice, read again just before ReconMesh writes, decides: whether it is gone, voided, or marked
/// paid by someone else (each a needs-attention outcome with nothing written), and whether its paid mark is this
/// payment's own (<see cref="IdempotencyKeys.AutotaskPaidMark"/>). The one place these are decided; no call is made here.
/// </summary>
public static class AutotaskWriteRules
{
    /// <summary>An invoice id that cannot be Autotask's: there is no such invoice.</summary>
    public static WritebackOutcome.NeedsAttention NotAnInvoiceId(string externalInvoiceId) =>
        new("invoice-deleted", $"Invoice {externalInvoiceId} is not an Autotask invoice id.");

    /// <summary>The invoice is gone from Autotask.</summary>
    public static WritebackOutcome.NeedsAttention Deleted(string externalInvoiceId) =>
        new("invoice-deleted", $"Autotask invoice {externalInvoiceId} no longer exists.");

    /// <summary>The invoice's id as Autotask's API takes it, or null.</summary>
    public static long? InvoiceId(string externalInvoiceId) =>
        long.TryParse(externalInvoiceId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    /// <summary>
    /// Why the payment cannot go on with <paramref name="invoice"/> as Autotask holds it now, or null when it can: a voided
    /// invoice takes nothing, and one marked paid by anyone but this payment is paid already (Autotask keeps no amounts,
    /// so ReconMesh cannot tell what was paid; a person must). An invoice this payment marked paid itself is its own
    /// earlier write, not a refusal.
    /// </summary>
    public static WritebackOutcome.NeedsAttention? Refusal(AutotaskInvoice invoice, Guid meshPaymentId, DateOnly paidOn)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var name = Name(invoice);
        if (invoice.IsVoided == true)
        {
            return new("invoice-voided", $"Autotask invoice {name} was voided{On(invoice.VoidedDate)}.");
        }

        if (invoice.PaidDate is { } paid && !IsMarkedBy(invoice, meshPaymentId, paidOn))
        {
            return new("invoice-already-paid",
                $"Autotask invoice {name} is already marked paid ({paid.UtcDateTime:yyyy-MM-dd}), not by this payment; Autotask keeps no amounts, " +
                "so ReconMesh does not guess what was paid.");
        }

        return null;
    }

    /// <summary>The invoice is marked paid by this payment: its paid date and ReconMesh's stamp are the payment's.</summary>
    public static bool IsMarkedBy(AutotaskInvoice invoice, Guid meshPaymentId, DateOnly paidOn)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return invoice.PaidDate is { } paid && DateOnly.FromDateTime(paid.UtcDateTime) == paidOn
            && invoice.WebServiceDate is { } stamp && stamp == IdempotencyKeys.AutotaskPaidMark(meshPaymentId, paidOn);
    }

    /// <summary>The update that marks the invoice paid by this payment.</summary>
    public static AutotaskInvoiceUpdate MarkPaid(long invoiceId, Guid meshPaymentId, DateOnly paidOn) =>
        new(invoiceId, paidOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IdempotencyKeys.AutotaskPaidMark(meshPaymentId, paidOn).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    /// <summary>The update that clears the paid mark (the stamp stays: it says when ReconMesh last marked it).</summary>
    public static AutotaskInvoiceUpdate ClearPaid(long invoiceId) => new(invoiceId, null, null);

    /// <summary>Autotask refused the update itself.</summary>
    public static WritebackOutcome.NeedsAttention Refused(string invoiceName, AutotaskException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new("autotask-refused", $"Autotask refused to mark invoice {invoiceName} paid: {refusal.Message}.");
    }

    public static string Name(AutotaskInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return string.IsNullOrEmpty(invoice.InvoiceNumber) ? invoice.Id.ToString(CultureInfo.InvariantCulture) : invoice.InvoiceNumber;
    }

    private static string On(DateTimeOffset? date) => date is { } d ? $" on {d.UtcDateTime:yyyy-MM-dd}" : "";
}
