using System.Net;
using Microsoft.Extensions.Logging;
using Refit;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.Autotask;

/// <summary>
/// Autotask PSA as the status half of a pair (its paired QuickBooks Online or Xero connection takes the money): Autotask
/// has no payment entity and no amount paid, only an invoice's <c>paidDate</c>. Before the money is booked, the invoices
/// are checked (<see cref="CheckAsync"/>: gone, voided, or marked paid by someone else, <see cref="AutotaskWriteRules"/>);
/// afterwards <see cref="WriteAsync"/> marks paid the invoices the books say are settled (the request names only those):
/// <c>PATCH Invoices {id, paidDate, webServiceDate}</c>, the stamp being this payment's
/// (<see cref="IdempotencyKeys.AutotaskPaidMark"/>). Exactly once: an invoice already marked paid is not written again
/// (this payment's earlier write, or another payment of the invoice that settled it too), and when a PATCH's answer is
/// lost the invoice is read before writing again. The stamp tells whose mark it is (<see cref="FindWrittenAsync"/>). A reversal
/// clears <c>paidDate</c> on the invoices the payment applied to (its external ids), since the books owe them again.
/// </summary>
public sealed class AutotaskPaymentWriteback(AutotaskClientFactory clients, ILogger<AutotaskPaymentWriteback> logger)
    : IPaymentWriteback, IPaymentStatusCheck
{
    private const int MaxWriteAttempts = 3;

    public IntegrationKind Kind => IntegrationKind.AutotaskPsa;

    /// <summary>A PATCH carries no idempotency key: the writes of one payment take turns, and read before writing again.</summary>
    public bool WritesAreIdempotent => false;

    public async Task<WritebackOutcome.NeedsAttention?> CheckAsync(ConnectionSettings connection, PaymentWriteRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var api = await clients.CreateAsync(connection, cancellationToken);
        foreach (var portion in request.Invoices)
        {
            var (_, invoice, missing) = await ReadAsync(api, portion.ExternalInvoiceId, cancellationToken);
            if (missing is not null)
            {
                return missing;
            }

            if (AutotaskWriteRules.Refusal(invoice!, request.MeshPaymentId, request.PaidOn) is { } refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    public async Task<WritebackOutcome> WriteAsync(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var marked = new List<string>();
        var invoices = new List<WrittenBackInvoice>();
        if (request.Invoices.Count > 0)
        {
            var api = await clients.CreateAsync(connection, cancellationToken);
            foreach (var portion in request.Invoices)
            {
                var (id, invoice, missing) = await ReadAsync(api, portion.ExternalInvoiceId, cancellationToken);
                if (missing is not null)
                {
                    return missing;
                }

                if (invoice!.IsVoided != true && invoice.PaidDate is not null)
                {
                    // Marked already: by this payment before (a retry), or by another payment of the invoice that read the
                    // books after this one was booked. The books say it is settled, and Autotask says so: nothing to write.
                    logger.AlreadyMarked(request.MeshPaymentId, id);
                }
                else if (AutotaskWriteRules.Refusal(invoice, request.MeshPaymentId, request.PaidOn) is { } refusal)
                {
                    return refusal;
                }
                else if (await MarkPaidAsync(api, id, invoice!, request, cancellationToken) is { } refused)
                {
                    return refused;
                }

                marked.Add(portion.ExternalInvoiceId);
                invoices.Add(new WrittenBackInvoice(portion.InvoiceId, portion.ExternalInvoiceId, portion.Amount, 0m));
            }
        }

        return new WritebackOutcome.Written(marked.Count > 0 ? PaymentWritebackStatus.Paid : PaymentWritebackStatus.PartiallyPaid, marked, invoices);
    }

    public async Task<WritebackOutcome.Written?> FindWrittenAsync(ConnectionSettings connection, PaymentWriteRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var api = await clients.CreateAsync(connection, cancellationToken);
        var found = new FoundWrites();
        foreach (var portion in request.Invoices)
        {
            if ((await ReadAsync(api, portion.ExternalInvoiceId, cancellationToken)).Invoice is { } invoice
                && AutotaskWriteRules.IsMarkedBy(invoice, request.MeshPaymentId, request.PaidOn))
            {
                found.Add(portion.ExternalInvoiceId, portion, 0m);
            }
        }

        return found.Outcome();
    }

    public async Task<WritebackOutcome> ReverseAsync(ConnectionSettings connection, PaymentReversalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var api = await clients.CreateAsync(connection, cancellationToken);
        foreach (var externalId in request.ExternalPaymentIds.Distinct(StringComparer.Ordinal))
        {
            // Gone, voided or open already: nothing of the payment is left to clear there.
            if ((await ReadAsync(api, externalId, cancellationToken)) is not (var id, { PaidDate: not null, IsVoided: not true }, _))
            {
                continue;
            }

            // Sent again after a lost answer it only clears what is already clear.
            await AutotaskException.Call(() => api.UpdateInvoiceAsync(AutotaskWriteRules.ClearPaid(id), cancellationToken));
            logger.Cleared(request.MeshPaymentId, id);
        }

        return new WritebackOutcome.Reversed(request.ExternalPaymentIds);
    }

    /// <summary>The invoice as Autotask holds it now, or why there is none.</summary>
    private static async Task<(long Id, AutotaskInvoice? Invoice, WritebackOutcome.NeedsAttention? Missing)> ReadAsync(IAutotaskApi api,
        string externalInvoiceId, CancellationToken cancellationToken)
    {
        if (AutotaskWriteRules.InvoiceId(externalInvoiceId) is not { } id)
        {
            return (0, null, AutotaskWriteRules.NotAnInvoiceId(externalInvoiceId));
        }

        try
        {
            var answer = await AutotaskException.Call(() => api.GetInvoiceAsync(id, cancellationToken));
            return answer.Item is { } invoice ? (id, invoice, null) : (id, null, AutotaskWriteRules.Deleted(externalInvoiceId));
        }
        catch (AutotaskException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            return (id, null, AutotaskWriteRules.Deleted(externalInvoiceId));
        }
    }

    /// <summary>
    /// PATCHes the mark. Autotask has no idempotency key, so when the answer is lost (connection dropped, timeout,
    /// throttled, unavailable, or Autotask's own "unexpected error") the invoice is read for the payment's mark before it
    /// is sent again; when every attempt was lost the failure is thrown, and the write waits aside and comes back (it is
    /// Autotask's doing, not a person's work). A 500 naming what Autotask refused is read and tried again too (the invoice
    /// passed the checks); only when every attempt was refused is it Autotask's refusal.
    /// </summary>
    private async Task<WritebackOutcome.NeedsAttention?> MarkPaidAsync(IAutotaskApi api, long id, AutotaskInvoice invoice, PaymentWriteRequest request,
        CancellationToken cancellationToken)
    {
        var update = AutotaskWriteRules.MarkPaid(id, request.MeshPaymentId, request.PaidOn);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await AutotaskException.Call(() => api.UpdateInvoiceAsync(update, cancellationToken));
                logger.MarkedPaid(request.MeshPaymentId, id);
                return null;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (IsLostAnswer(ex) || ex is AutotaskException { IsServerRefusal: true }))
            {
                logger.AnswerLost(request.MeshPaymentId, id, attempt, ex is AutotaskException autotask ? autotask.Message : ex.GetType().Name);
                if ((await ReadAsync(api, id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken)).Invoice is { PaidDate: not null })
                {
                    return null;
                }

                if (attempt >= MaxWriteAttempts)
                {
                    if (ex is AutotaskException { IsServerRefusal: true } refusal)
                    {
                        return AutotaskWriteRules.Refused(AutotaskWriteRules.Name(invoice), refusal);
                    }

                    throw;
                }
            }
            catch (AutotaskException ex) when (!ex.IsTransient && !ex.IsAuthentication)
            {
                return AutotaskWriteRules.Refused(AutotaskWriteRules.Name(invoice), ex);
            }
        }
    }

    /// <summary>The PATCH may or may not have been applied: no answer, a dropped connection, or a transient error.</summary>
    private static bool IsLostAnswer(Exception ex) =>
        ex is ApiRequestException or HttpRequestException or TaskCanceledException or TimeoutException || ex is AutotaskException { IsTransient: true };
}
