namespace ReconMesh.Integrations.ConnectWise;

/// <summary>Reads of ConnectWise records: an invoice deleted by a person is null here, every other fault is thrown as translated.</summary>
internal static class ConnectWiseRecords
{
    public static async Task<ConnectWiseInvoice?> InvoiceAsync(IConnectWiseApi api, int invoiceId, CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectWiseException.Call(() => api.GetInvoiceAsync(invoiceId, cancellationToken));
        }
        catch (ConnectWiseException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    public static Task<List<ConnectWisePayment>> PaymentsAsync(IConnectWiseApi api, int invoiceId, CancellationToken cancellationToken) =>
        ConnectWiseException.Call(() => api.ListPaymentsAsync(invoiceId, cancellationToken: cancellationToken));

    /// <summary>A payment on the invoice that is this payment's own earlier write (see <see cref="ConnectWiseWriteRules.IsOwnPayment"/>).</summary>
    public static async Task<ConnectWisePayment?> OwnPaymentAsync(IConnectWiseApi api, int invoiceId, string marker, CancellationToken cancellationToken)
    {
        var payments = await PaymentsAsync(api, invoiceId, cancellationToken);
        return payments.FirstOrDefault(p => p.Id is not null && ConnectWiseWriteRules.IsOwnPayment(p, marker));
    }
}
