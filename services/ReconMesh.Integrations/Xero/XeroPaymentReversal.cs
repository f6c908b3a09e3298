using Microsoft.Extensions.Logging;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.Xero;

/// <summary>
/// Reverts a written payment: each of its Xero payments is deleted (a payment's only change Xero takes), so its
/// invoice owes the amount again and a PAID one is AUTHORISED again. Idempotent: a payment already deleted, by a retry
/// or a person, counts as reverted. A recorded id that is not ReconMesh's payment, or a deletion Xero refuses (the
/// payment was reconciled there), needs a person.
/// </summary>
internal sealed class XeroPaymentReversal(ILogger logger)
{
    public async Task<WritebackOutcome> ReverseAsync(IXeroApi api, PaymentReversalRequest request, CancellationToken cancellationToken)
    {
        var marker = IdempotencyKeys.Marker(request.MeshPaymentId);
        foreach (var paymentId in request.ExternalPaymentIds)
        {
            var payment = Guid.TryParse(paymentId, out _) ? await XeroRecords.PaymentAsync(api, paymentId, cancellationToken) : null;
            if (payment is null || payment.Status == "DELETED")
            {
                continue;
            }

            if (!XeroWriteRules.IsOwn(payment.Reference, marker))
            {
                return new WritebackOutcome.NeedsAttention("payment-changed",
                    $"Xero payment {paymentId} does not carry ReconMesh's marker for payment {request.PaymentId}; it was not deleted.");
            }

            try
            {
                await api.DeletePaymentAsync(paymentId, XeroStatusChange.Deleted, cancellationToken);
                logger.Deleted(request.MeshPaymentId, paymentId);
            }
            catch (XeroException ex) when (ex.IsValidation)
            {
                // Deleted meanwhile (a retry, a person) is what a reversal wants; anything else Xero refuses is a person's.
                if (await XeroRecords.PaymentAsync(api, paymentId, cancellationToken) is { Status: not "DELETED" })
                {
                    return new WritebackOutcome.NeedsAttention("payment-not-deleted",
                        $"{ex.Message} (payment {paymentId}); it still counts in Xero.");
                }
            }
        }

        return new WritebackOutcome.Reversed(request.ExternalPaymentIds);
    }
}
