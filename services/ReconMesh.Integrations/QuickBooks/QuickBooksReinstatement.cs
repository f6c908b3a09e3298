using Microsoft.Extensions.Logging;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// A deposited payment cannot be changed, and the deposit matches the bank: history stays as it is. Instead the
/// amount is put back on the customer's account with a reinstatement invoice (as for a returned cheque), whose
/// line is credited to the reversals clearing account; the payout that nets the reversal debits the same account.
/// Found by its document number before it is created, and created with a requestid, so it exists once.
/// </summary>
internal static class QuickBooksReinstatement
{
    /// <summary>The reinstatement invoice's number: "RMR-" and the QuickBooks Payment's id (at most 21 characters).</summary>
    public static string DocNumber(string qboPaymentId) => "RMR-" + qboPaymentId;

    /// <summary>The id of the invoice that reinstates what the deposited <paramref name="payment"/> paid.</summary>
    public static async Task<string> InvoiceAsync(IQuickBooksApi api, ConnectionSettings connection, PaymentReversalRequest request, QboPayment payment,
        ILogger logger, CancellationToken cancellationToken)
    {
        var realm = connection.RealmId!;
        var docNumber = DocNumber(payment.Id!);
        var marker = IdempotencyKeys.Marker(request.MeshPaymentId);
        if (await QuickBooksChartOfAccounts.OwnInvoiceAsync(api, realm, docNumber, marker, cancellationToken) is { } found)
        {
            return found.Id;
        }

        var clearing = connection.ReversalsAccountId
            ?? await QuickBooksChartOfAccounts.AccountAsync(api, realm, QuickBooksChartOfAccounts.ReversalsClearing, cancellationToken);
        var item = await QuickBooksChartOfAccounts.ItemAsync(api, realm, QuickBooksChartOfAccounts.ReversalItem, clearing, cancellationToken);
        // The whole payment goes to the clearing account (the payout takes it all back); the surcharge part comes off
        // the surcharge income.
        var surchargeLine = await QuickBooksSurcharge.TakenBackLineAsync(api, connection, request, payment, cancellationToken);
        var what = Words(request.Kind);
        var invoice = new QboNewInvoice
        {
            DocNumber = docNumber,
            CustomerRef = payment.CustomerRef!,
            CurrencyRef = payment.CurrencyRef,
            PrivateNote = $"{marker} {what} after deposit (platform payment {request.PaymentId}, QuickBooks Payment {payment.Id})",
            CustomerMemo = new QboMemo($"Payment {request.PaymentId} of {payment.TxnDate:yyyy-MM-dd} was {what}; the amount is due again."),
            Line =
            [
                new QboNewSalesLine
                {
                    Amount = payment.TotalAmt,
                    Description = $"Payment {request.PaymentId} {what}",
                    SalesItemLineDetail = new QboSalesItemLineDetail(item, null, null),
                },
                .. surchargeLine is null ? [] : new[] { surchargeLine },
            ],
        };
        var created = (await api.CreateInvoiceAsync(realm, invoice,
            IdempotencyKeys.QuickBooksReinstatementRequestId(request.MeshPaymentId, payment.Id!), cancellationToken)).Invoice;
        logger.Reinstated(request.MeshPaymentId, payment.Id, created.Id, payment.TotalAmt);
        return created.Id;
    }

    private static string Words(PaymentReversalKind kind) => kind switch
    {
        PaymentReversalKind.Refunded => "refunded",
        PaymentReversalKind.ChargedBack => "charged back",
        _ => "returned",
    };
}
