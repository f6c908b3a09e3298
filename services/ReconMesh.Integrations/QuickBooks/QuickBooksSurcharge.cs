using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// The invoice that books a payment's surcharge (the partner's policy of passing card fees on): one line of the item
/// "ReconMesh Card Surcharge", income to the surcharge account, for the customer of the payment's first invoice. The
/// payment pays it with a line of its own, so the customers' invoices keep their balances and the surcharge is income,
/// not unapplied credit. When the payment is reversed the surcharge is not owed again: the invoice is voided, or, for a
/// deposited payment, the reinstatement takes it off with a line of its own.
/// </summary>
internal static class QuickBooksSurcharge
{
    /// <summary>The surcharge invoice's number: "RMS-" and 16 hex digits of ReconMesh's payment id (at most 21 characters).</summary>
    public static string DocNumber(Guid meshPaymentId) => "RMS-" + meshPaymentId.ToString("N")[..16];

    /// <summary>The surcharge invoice's id: found by its number before it is created, and created with a requestid.</summary>
    public static async Task<string> InvoiceAsync(IQuickBooksApi api, ConnectionSettings connection, PaymentWriteRequest request,
        string customerId, string marker, CancellationToken cancellationToken)
    {
        var realm = connection.RealmId!;
        var docNumber = DocNumber(request.MeshPaymentId);
        if (await QuickBooksChartOfAccounts.OwnInvoiceAsync(api, realm, docNumber, marker, cancellationToken) is { } found)
        {
            return found.Id;
        }

        var item = await QuickBooksChartOfAccounts.SurchargeItemAsync(api, connection, cancellationToken);
        var invoice = new QboNewInvoice
        {
            DocNumber = docNumber,
            CustomerRef = new QboRef(customerId),
            CurrencyRef = new QboRef(request.Currency.ToUpperInvariant()),
            TxnDate = request.PaidOn,
            PrivateNote = $"{marker} surcharge (platform payment {request.PaymentId})",
            CustomerMemo = new QboMemo($"Card surcharge on payment {request.PaymentId}"),
            Line = [new QboNewSalesLine { Amount = request.Surcharge, Description = "Card surcharge", SalesItemLineDetail = new QboSalesItemLineDetail(item, null, null) }],
        };
        return (await api.CreateInvoiceAsync(realm, invoice, IdempotencyKeys.QuickBooksSurchargeRequestId(request.MeshPaymentId), cancellationToken)).Invoice.Id;
    }

    /// <summary>
    /// The line of a reinstatement invoice that takes a reversed payment's surcharge off the surcharge income, so the
    /// customer owes again what the invoices said and no surcharge; null when this QuickBooks Payment carries no
    /// surcharge (only the first customer's does).
    /// </summary>
    public static async Task<QboNewSalesLine?> TakenBackLineAsync(IQuickBooksApi api, ConnectionSettings connection, PaymentReversalRequest request,
        QboPayment payment, CancellationToken cancellationToken) =>
        request.Surcharge > 0m && await IsPaidByAsync(api, connection.RealmId!, request.MeshPaymentId, payment, cancellationToken)
            ? new QboNewSalesLine
            {
                Amount = -request.Surcharge,
                Description = $"Surcharge of payment {request.PaymentId}, not owed again",
                SalesItemLineDetail = new QboSalesItemLineDetail(await QuickBooksChartOfAccounts.SurchargeItemAsync(api, connection, cancellationToken), null, null),
            }
            : null;

    /// <summary>
    /// Voids the surcharge invoice of a payment whose QuickBooks Payment was voided: it would be open again, and the
    /// customer owes no surcharge for money that did not stay paid. Re-read when someone changed it meanwhile (5010).
    /// </summary>
    public static async Task VoidInvoiceAsync(IQuickBooksApi api, string realm, Guid meshPaymentId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var invoice = await QuickBooksChartOfAccounts.OwnInvoiceAsync(api, realm, DocNumber(meshPaymentId), IdempotencyKeys.Marker(meshPaymentId),
                cancellationToken);
            if (invoice is null || QuickBooksWriteRules.HasNothingToVoid(invoice))
            {
                return; // never created, or already voided
            }

            try
            {
                await api.VoidInvoiceAsync(realm, new QboVoidRequest(invoice.Id, invoice.SyncToken),
                    IdempotencyKeys.QuickBooksInvoiceVoidRequestId(invoice.Id, invoice.SyncToken), cancellationToken);
                return;
            }
            catch (QuickBooksException ex) when (ex.IsStaleObject && attempt < QuickBooksPaymentReversal.VoidAttempts)
            {
                // Changed meanwhile: read its new SyncToken and void again.
            }
        }
    }

    /// <summary>Whether this QuickBooks Payment pays the payment's surcharge invoice.</summary>
    private static async Task<bool> IsPaidByAsync(IQuickBooksApi api, string realm, Guid meshPaymentId, QboPayment payment, CancellationToken cancellationToken) =>
        await QuickBooksChartOfAccounts.OwnInvoiceAsync(api, realm, DocNumber(meshPaymentId), IdempotencyKeys.Marker(meshPaymentId), cancellationToken)
            is { } surcharge && payment.Line.Any(l => l.LinkedTxn.Any(t => t.TxnId == surcharge.Id));
}
