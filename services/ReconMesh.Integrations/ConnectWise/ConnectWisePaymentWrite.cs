using Microsoft.Extensions.Logging;
using Refit;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>
/// Writes a payment as one ConnectWise invoice payment per invoice, and closes each invoice it pays in full. First every
/// invoice is read again and judged (<see cref="ConnectWiseWriteRules"/>): either all can be paid, or nothing is
/// written. An invoice that already holds a payment carrying this payment's marker was written before (a retry).
/// </summary>
internal sealed class ConnectWisePaymentWrite(ConnectWiseBillingStatuses statuses, ILogger logger)
{
    private const string PaymentType = "Payment";
    private const int MaxWriteAttempts = 3;

    public async Task<WritebackOutcome> WriteAsync(IConnectWiseApi api, ConnectionSettings connection, PaymentWriteRequest request,
        CancellationToken cancellationToken)
    {
        var marker = IdempotencyKeys.Marker(request.MeshPaymentId);

        var plans = new List<Plan>();
        foreach (var portion in request.Invoices)
        {
            if (ConnectWisePaymentIds.InvoiceId(portion.ExternalInvoiceId) is not { } invoiceId)
            {
                return ConnectWiseWriteRules.NotAnInvoiceId(portion.ExternalInvoiceId);
            }

            var invoice = await ConnectWiseRecords.InvoiceAsync(api, invoiceId, cancellationToken);
            if (invoice is null)
            {
                return ConnectWiseWriteRules.Deleted(portion.ExternalInvoiceId);
            }

            var existing = await ConnectWiseRecords.OwnPaymentAsync(api, invoiceId, marker, cancellationToken);
            if (existing is null && ConnectWiseWriteRules.Refusal(invoice, portion, request.Currency) is { } refusal)
            {
                return refusal;
            }

            plans.Add(new Plan(portion, invoiceId, invoice, existing));
        }

        var paymentIds = new List<string>();
        var written = new List<WrittenBackInvoice>();
        foreach (var plan in plans)
        {
            var payment = plan.Existing;
            if (payment is null)
            {
                var outcome = await CreatePaymentAsync(api, plan, request, marker, cancellationToken);
                if (outcome.Refused is not null)
                {
                    return outcome.Refused;
                }

                payment = outcome.Payment!;
            }
            else
            {
                logger.AlreadyWritten(request.MeshPaymentId, plan.InvoiceId, payment.Id);
            }

            var after = await ConnectWiseException.Call(() => api.GetInvoiceAsync(plan.InvoiceId, cancellationToken));
            var balance = after.Balance ?? 0m;
            if (balance == 0m)
            {
                await statuses.CloseAsync(api, connection, after, cancellationToken);
            }

            paymentIds.Add(ConnectWisePaymentIds.ExternalId(plan.InvoiceId, payment.Id!.Value));
            written.Add(new WrittenBackInvoice(plan.Portion.InvoiceId, plan.Portion.ExternalInvoiceId, plan.Portion.Amount, balance));
        }

        var status = written.All(i => i.BalanceAfter == 0m) ? PaymentWritebackStatus.Paid : PaymentWritebackStatus.PartiallyPaid;
        return new WritebackOutcome.Written(status, paymentIds, written);
    }

    /// <summary>This payment's own payments on the invoices it names, found by the marker; nothing is written.</summary>
    public static async Task<WritebackOutcome.Written?> FindAsync(IConnectWiseApi api, PaymentWriteRequest request, CancellationToken cancellationToken)
    {
        var marker = IdempotencyKeys.Marker(request.MeshPaymentId);
        var found = new FoundWrites();
        foreach (var portion in request.Invoices)
        {
            if (ConnectWisePaymentIds.InvoiceId(portion.ExternalInvoiceId) is { } invoiceId
                && await ConnectWiseRecords.InvoiceAsync(api, invoiceId, cancellationToken) is { } invoice
                && await ConnectWiseRecords.OwnPaymentAsync(api, invoiceId, marker, cancellationToken) is { Id: { } paymentId })
            {
                found.Add(ConnectWisePaymentIds.ExternalId(invoiceId, paymentId), portion, invoice.Balance ?? 0m);
            }
        }

        return found.Outcome();
    }

    /// <summary>
    /// POSTs the payment. ConnectWise has no idempotency key, so when the answer is lost (connection dropped, timeout)
    /// the invoice's payments are looked up for the marker before posting again: the first write is found, not repeated.
    /// </summary>
    private async Task<(ConnectWisePayment? Payment, WritebackOutcome.NeedsAttention? Refused)> CreatePaymentAsync(
        IConnectWiseApi api, Plan plan, PaymentWriteRequest request, string marker, CancellationToken cancellationToken)
    {
        var body = new ConnectWisePayment
        {
            Type = PaymentType,
            Amount = plan.Portion.Amount,
            PaymentDate = new DateTimeOffset(request.PaidOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            AppliedBy = marker,
            Invoice = new ConnectWiseReference { Id = plan.InvoiceId },
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var created = await ConnectWiseException.Call(() => api.CreatePaymentAsync(plan.InvoiceId, body, cancellationToken));
                logger.Written(request.MeshPaymentId, plan.InvoiceId, created.Id);
                return (created, null);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsLostAnswer(ex))
            {
                logger.AnswerLost(request.MeshPaymentId, plan.InvoiceId, attempt, ex.GetType().Name);
                if (await ConnectWiseRecords.OwnPaymentAsync(api, plan.InvoiceId, marker, cancellationToken) is { } found)
                {
                    return (found, null);
                }

                if (attempt >= MaxWriteAttempts)
                {
                    throw;
                }
            }
            catch (ConnectWiseException ex) when (ex.IsInvalid)
            {
                // Refused (e.g. the balance changed between the check and the write): re-read before deciding anything.
                return await ConnectWiseRecords.OwnPaymentAsync(api, plan.InvoiceId, marker, cancellationToken) is { } found
                    ? (found, null)
                    : (null, ConnectWiseWriteRules.Refused(plan.Invoice.InvoiceNumber ?? plan.Portion.ExternalInvoiceId, ex));
            }
        }
    }

    /// <summary>
    /// The request may or may not have been applied: no answer or a dropped connection (Refit wraps those in
    /// <see cref="ApiRequestException"/>), or a gateway error.
    /// </summary>
    private static bool IsLostAnswer(Exception ex) =>
        ex is ApiRequestException or HttpRequestException or TaskCanceledException or TimeoutException || ex is ConnectWiseException { IsTransient: true };

    private sealed record Plan(InvoicePortion Portion, int InvoiceId, ConnectWiseInvoice Invoice, ConnectWisePayment? Existing);
}
