namespace ReconMesh.Integrations.Xero;

/// <summary>
/// Reads of Xero records that may be gone: a record Xero does not find (404) is null here, every other error is thrown
/// as the client translated it.
/// </summary>
internal static class XeroRecords
{
    public static Task<XeroInvoice?> InvoiceAsync(IXeroApi api, string invoiceId, CancellationToken cancellationToken) =>
        UnlessNotFoundAsync(async () => (await api.InvoiceAsync(invoiceId, cancellationToken))?.Invoices is [var first, ..] ? first : null);

    public static Task<XeroPayment?> PaymentAsync(IXeroApi api, string paymentId, CancellationToken cancellationToken) =>
        UnlessNotFoundAsync(async () => (await api.PaymentAsync(paymentId, cancellationToken))?.Payments is [var first, ..] ? first : null);

    /// <summary>The payment on the invoice that carries <paramref name="marker"/> (Xero lists an invoice's payments, deleted ones left out).</summary>
    public static XeroPaymentSummary? OwnPayment(XeroInvoice invoice, string marker) =>
        invoice.Payments?.FirstOrDefault(p => XeroWriteRules.IsOwn(p.Reference, marker));

    private static async Task<T?> UnlessNotFoundAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (XeroException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
