namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// Reads of QuickBooks records that may be gone: a record deleted by a person (fault 610) is null here, every other
/// fault is thrown as the client translated it.
/// </summary>
internal static class QuickBooksRecords
{
    public static Task<QboInvoice?> InvoiceAsync(IQuickBooksApi api, string realm, string invoiceId, CancellationToken cancellationToken) =>
        UnlessNotFoundAsync(async () => (await api.GetInvoiceAsync(realm, invoiceId, cancellationToken)).Invoice);

    public static Task<QboPayment?> PaymentAsync(IQuickBooksApi api, string realm, string paymentId, CancellationToken cancellationToken) =>
        UnlessNotFoundAsync(async () => (await api.GetPaymentAsync(realm, paymentId, cancellationToken)).Payment);

    /// <summary>The id of a payment linked to the invoice that is this payment's own earlier write (see <see cref="QuickBooksWriteRules.IsOwnPayment"/>).</summary>
    public static async Task<string?> OwnPaymentIdAsync(IQuickBooksApi api, string realm, QboInvoice invoice, string marker, CancellationToken cancellationToken)
    {
        foreach (var link in invoice.LinkedTxn ?? [])
        {
            if (!string.Equals(link.TxnType, "Payment", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (await PaymentAsync(api, realm, link.TxnId, cancellationToken) is { } payment && QuickBooksWriteRules.IsOwnPayment(payment, marker))
            {
                return payment.Id;
            }
        }

        return null;
    }

    private static async Task<T?> UnlessNotFoundAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (QuickBooksException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
