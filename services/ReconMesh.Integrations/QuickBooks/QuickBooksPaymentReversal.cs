using Microsoft.Extensions.Logging;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// Reverts a written payment: each of its QuickBooks Payments is voided, so the invoices are open again; one that is
/// part of a deposit cannot be voided and is reinstated instead (<see cref="QuickBooksReinstatement"/>). A voided
/// payment's surcharge invoice is voided too (<see cref="QuickBooksSurcharge"/>). Idempotent: a Payment already voided
/// or deleted counts as reverted, and a reinstatement is found before it is created again.
/// </summary>
internal sealed class QuickBooksPaymentReversal(ILogger logger)
{
    /// <summary>How often a void is tried when someone changed the record meanwhile (5010), each time with its new SyncToken.</summary>
    public const int VoidAttempts = 3;

    public async Task<WritebackOutcome> ReverseAsync(IQuickBooksApi api, ConnectionSettings connection, PaymentReversalRequest request,
        CancellationToken cancellationToken)
    {
        var realm = connection.RealmId!;
        var reinstatements = new List<string>();
        var voided = false;
        foreach (var paymentId in request.ExternalPaymentIds)
        {
            if (await VoidAsync(api, realm, request.MeshPaymentId, paymentId, cancellationToken) is { } deposited)
            {
                reinstatements.Add(await QuickBooksReinstatement.InvoiceAsync(api, connection, request, deposited, logger, cancellationToken));
            }
            else
            {
                voided = true;
            }
        }

        if (voided && request.Surcharge > 0m)
        {
            await QuickBooksSurcharge.VoidInvoiceAsync(api, realm, request.MeshPaymentId, cancellationToken);
        }

        return new WritebackOutcome.Reversed(request.ExternalPaymentIds, reinstatements);
    }

    /// <summary>
    /// Voids one payment, re-reading its SyncToken when someone changed it meanwhile (5010). Null once it no longer
    /// counts (voided now or before, or deleted by a person, which is what a reversal wants); the payment as read when
    /// QuickBooks refuses to change it because it is part of a deposit (6540).
    /// </summary>
    private async Task<QboPayment?> VoidAsync(IQuickBooksApi api, string realm, Guid meshPaymentId, string paymentId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await QuickBooksRecords.PaymentAsync(api, realm, paymentId, cancellationToken);
            if (current is null || QuickBooksWriteRules.IsVoided(current))
            {
                return null;
            }

            try
            {
                var requestId = IdempotencyKeys.QuickBooksVoidRequestId(meshPaymentId, paymentId, current.SyncToken ?? "");
                await api.VoidPaymentAsync(realm, new QboVoidRequest(paymentId, current.SyncToken ?? "0"), requestId, cancellationToken);
                logger.Voided(meshPaymentId, paymentId);
                return null;
            }
            catch (QuickBooksException ex) when (ex.IsStaleObject && attempt < VoidAttempts)
            {
                // Changed meanwhile: read its new SyncToken and void again.
            }
            catch (QuickBooksException ex) when (ex.IsDeposited)
            {
                return current;
            }
        }
    }
}
