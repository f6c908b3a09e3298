using Microsoft.Extensions.Logging;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>
/// Reverts a written payment: its ConnectWise payments are deleted, and each invoice that owes again leaves the Closed
/// status. Ours are the recorded ids and anything else carrying our marker; a recorded payment that no longer carries
/// the marker was changed by someone and needs a person. Idempotent: what is deleted already stays deleted.
/// </summary>
internal sealed class ConnectWisePaymentReversal(ConnectWiseBillingStatuses statuses, ILogger logger)
{
    public async Task<WritebackOutcome> ReverseAsync(IConnectWiseApi api, ConnectionSettings connection, PaymentReversalRequest request,
        CancellationToken cancellationToken)
    {
        var (meshPaymentId, externalPaymentIds) = (request.MeshPaymentId, request.ExternalPaymentIds);
        var marker = IdempotencyKeys.Marker(meshPaymentId);
        foreach (var invoiceGroup in externalPaymentIds.Select(ConnectWisePaymentIds.Parse).GroupBy(p => p.InvoiceId))
        {
            var invoiceId = invoiceGroup.Key;
            var invoice = await ConnectWiseRecords.InvoiceAsync(api, invoiceId, cancellationToken);
            if (invoice is null)
            {
                continue; // the invoice was deleted in PSA (its payments first): nothing of ours counts any more
            }

            var payments = await ConnectWiseRecords.PaymentsAsync(api, invoiceId, cancellationToken);
            var ours = payments.Where(p => p.Id is not null && ConnectWiseWriteRules.IsOwnPayment(p, marker)).Select(p => p.Id!.Value).ToHashSet();
            foreach (var recorded in invoiceGroup.Select(p => p.PaymentId).Where(id => !ours.Contains(id)))
            {
                if (payments.Any(p => p.Id == recorded))
                {
                    return new WritebackOutcome.NeedsAttention("payment-changed",
                        $"ConnectWise payment {recorded} on invoice {invoiceId} no longer carries ReconMesh's marker; it was not deleted.");
                }
            }

            foreach (var paymentId in ours)
            {
                try
                {
                    await api.DeletePaymentAsync(invoiceId, paymentId, cancellationToken);
                    logger.Deleted(meshPaymentId, invoiceId, paymentId);
                }
                catch (ConnectWiseException ex) when (ex.IsNotFound)
                {
                    // Deleted meanwhile (a retry, or a person): what a reversal wants.
                }
            }

            var reopened = await ConnectWiseException.Call(() => api.GetInvoiceAsync(invoiceId, cancellationToken));
            await statuses.ReopenAsync(api, connection, reopened, cancellationToken);
        }

        return new WritebackOutcome.Reversed(externalPaymentIds);
    }
}
