using System.Security.Cryptography;
using System.Text;

namespace ReconMesh.Integrations.Writeback;

/// <summary>
/// Keys derived only from ReconMesh's own ids, so that every retry of the same effect, from any replica and after
/// any crash, presents the same key to the integration.
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>QuickBooks <c>requestid</c> (at most 50 characters) for one payment's write for one customer.</summary>
    public static string QuickBooksPaymentRequestId(Guid meshPaymentId, string customerId) => "rm-" + Hash($"payment:{meshPaymentId:N}:customer:{customerId}", 16);

    /// <summary>QuickBooks <c>requestid</c> for voiding one payment at one SyncToken (a new token is a new attempt).</summary>
    public static string QuickBooksVoidRequestId(Guid meshPaymentId, string qboPaymentId, string syncToken) =>
        "rmv-" + Hash($"void:{meshPaymentId:N}:payment:{qboPaymentId}:token:{syncToken}", 16);

    /// <summary>QuickBooks <c>requestid</c> for the one deposit of a payout.</summary>
    public static string QuickBooksDepositRequestId(Guid meshPayoutId) => "rmd-" + Hash($"deposit:{meshPayoutId:N}", 16);

    /// <summary>QuickBooks <c>requestid</c> for creating one of ReconMesh's own accounts (fees, reversals clearing) in a company.</summary>
    public static string QuickBooksAccountRequestId(string realmId, string accountName) => "rma-" + Hash($"account:{realmId}:{accountName}", 16);

    /// <summary>QuickBooks <c>requestid</c> for creating one of ReconMesh's own items in a company.</summary>
    public static string QuickBooksItemRequestId(string realmId, string itemName) => "rmi-" + Hash($"item:{realmId}:{itemName}", 16);

    /// <summary>QuickBooks <c>requestid</c> for the invoice that reinstates what a deposited payment paid.</summary>
    public static string QuickBooksReinstatementRequestId(Guid meshPaymentId, string qboPaymentId) =>
        "rmr-" + Hash($"reinstate:{meshPaymentId:N}:payment:{qboPaymentId}", 16);

    /// <summary>QuickBooks <c>requestid</c> for the invoice that books a payment's surcharge.</summary>
    public static string QuickBooksSurchargeRequestId(Guid meshPaymentId) => "rms-" + Hash($"surcharge:{meshPaymentId:N}", 16);

    /// <summary>QuickBooks <c>requestid</c> for voiding ReconMesh's own invoice at one SyncToken.</summary>
    public static string QuickBooksInvoiceVoidRequestId(string invoiceId, string syncToken) => "rmvi-" + Hash($"void-invoice:{invoiceId}:token:{syncToken}", 16);

    /// <summary>The marker written into a payout's deposit.</summary>
    public static string PayoutMarker(Guid meshPayoutId) => $"ReconMesh payout {meshPayoutId:N}";

    /// <summary>The marker ReconMesh writes into what it books, to recognise its own writes when re-reading.</summary>
    public static string Marker(Guid meshPaymentId) => $"ReconMesh payment {meshPaymentId:N}";

    /// <summary>
    /// The <c>webServiceDate</c> ReconMesh stamps on an Autotask invoice it marks paid, Autotask having no reference
    /// field: the payment's date at a time of day derived from the payment's id alone (SHA-256, a whole second of the
    /// day, since Autotask's date-times are not kept below the second). An invoice whose <c>paidDate</c> is set and whose
    /// <c>webServiceDate</c> is exactly this instant was marked paid by this payment; one in 86,400 other stamps of that
    /// day could look the same, which is why the paid date must match too.
    /// </summary>
    public static DateTimeOffset AutotaskPaidMark(Guid meshPaymentId, DateOnly paidOn)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"autotask-paid:{meshPaymentId:N}"));
        var second = BitConverter.ToUInt32(hash, 0) % 86_400u;
        return new DateTimeOffset(paidOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(second);
    }

    private static string Hash(string value, int bytes) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, bytes));
}
