using System.Globalization;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>
/// ReconMesh's external ids of ConnectWise payments, <c>{invoiceId}/{paymentId}</c>: ConnectWise addresses a payment
/// through its invoice.
/// </summary>
public static class ConnectWisePaymentIds
{
    public static string ExternalId(int invoiceId, int paymentId) =>
        string.Create(CultureInfo.InvariantCulture, $"{invoiceId}/{paymentId}");

    /// <summary>The invoice and payment of an external id; a <see cref="FormatException"/> for anything else.</summary>
    public static (int InvoiceId, int PaymentId) Parse(string externalId)
    {
        ArgumentNullException.ThrowIfNull(externalId);
        var parts = externalId.Split('/');
        return parts.Length == 2
               && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var invoiceId)
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var paymentId)
            ? (invoiceId, paymentId)
            : throw new FormatException($"'{externalId}' is not a ConnectWise payment id of the form invoiceId/paymentId.");
    }

    /// <summary>A ConnectWise invoice id as ReconMesh holds it (its decimal digits), or null.</summary>
    public static int? InvoiceId(string externalInvoiceId) =>
        int.TryParse(externalInvoiceId, NumberStyles.None, CultureInfo.InvariantCulture, out var invoiceId) ? invoiceId : null;
}
