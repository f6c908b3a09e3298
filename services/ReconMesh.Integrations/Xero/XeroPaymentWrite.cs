using System.Globalization;
using Microsoft.Extensions.Logging;
using Refit;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.Xero;

/// <summary>
/// Writes a payment as one Xero payment per invoice, into the connection's clearing account. First every invoice is
/// read again and judged (<see cref="XeroWriteRules"/>): either all can be paid, or nothing is written. An invoice
/// that already lists a payment carrying this payment's marker in its reference was written before (a retry).
/// </summary>
internal sealed class XeroPaymentWrite(ILogger logger)
{
    private const int MaxWriteAttempts = 3;

    public async Task<WritebackOutcome> WriteAsync(IXeroApi api, ConnectionSettings connection, PaymentWriteRequest request,
        CancellationToken cancellationToken)
    {
        if (request.Surcharge > 0m)
        {
            return new WritebackOutcome.NeedsAttention("surcharge-not-supported",
                $"The payment includes a surcharge of {request.Surcharge}, which ReconMesh does not book in Xero yet; nothing was written.");
        }

        var marker = IdempotencyKeys.Marker(request.MeshPaymentId);
        var plans = new List<Plan>();
        foreach (var portion in request.Invoices)
        {
            if (!Guid.TryParse(portion.ExternalInvoiceId, out _) || await XeroRecords.InvoiceAsync(api, portion.ExternalInvoiceId, cancellationToken) is not { } invoice)
            {
                return XeroWriteRules.Deleted(portion.ExternalInvoiceId);
            }

            var existing = XeroRecords.OwnPayment(invoice, marker);
            if (existing is null && XeroWriteRules.Refusal(invoice, portion, request.Currency) is { } refusal)
            {
                return refusal;
            }

            plans.Add(new Plan(portion, invoice, existing?.PaymentId));
        }

        var paymentIds = new List<string>();
        var written = new List<WrittenBackInvoice>();
        foreach (var plan in plans)
        {
            var (paymentId, balance) = (plan.ExistingPaymentId, plan.Invoice.AmountDue);
            if (paymentId is null)
            {
                var created = await CreateAsync(api, connection, plan, request, marker, cancellationToken);
                if (created.Refused is not null)
                {
                    return created.Refused;
                }

                (paymentId, balance) = (created.PaymentId!, created.Balance);
            }
            else
            {
                logger.AlreadyWritten(request.MeshPaymentId, paymentId, plan.Invoice.InvoiceId);
            }

            paymentIds.Add(paymentId);
            written.Add(new WrittenBackInvoice(plan.Portion.InvoiceId, plan.Portion.ExternalInvoiceId, plan.Portion.Amount, balance));
        }

        var status = written.All(i => i.BalanceAfter == 0m) ? PaymentWritebackStatus.Paid : PaymentWritebackStatus.PartiallyPaid;
        return new WritebackOutcome.Written(status, paymentIds, written);
    }

    /// <summary>
    /// PUTs the payment. ReconMesh does not rely on an idempotency key in Xero, so when the answer is lost (connection
    /// dropped, timeout, Xero unavailable) the invoice is read again for the marker before writing again: the first write
    /// is found, not repeated. What Xero refuses is looked up the same way (a copy may have written first), else a person's.
    /// </summary>
    private async Task<(string? PaymentId, decimal Balance, WritebackOutcome.NeedsAttention? Refused)> CreateAsync(IXeroApi api,
        ConnectionSettings connection, Plan plan, PaymentWriteRequest request, string marker, CancellationToken cancellationToken)
    {
        var body = new XeroNewPayment
        {
            Invoice = new XeroInvoiceRef { InvoiceId = plan.Invoice.InvoiceId },
            Account = XeroAccountRef.Of(connection.PaymentsAccountId ?? throw new InvalidOperationException($"{connection} has no PaymentsAccountId")),
            Date = request.PaidOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Amount = plan.Portion.Amount,
            Reference = XeroWriteRules.Reference(marker, $"platform payment {request.PaymentId}"),
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var created = (await api.CreatePaymentAsync(body, cancellationToken))?.Payments is [var first, ..] ? first
                    : throw new XeroException(System.Net.HttpStatusCode.OK, null, "Xero answered the payment with no payment");
                logger.Written(request.MeshPaymentId, created.PaymentId, plan.Invoice.InvoiceId);
                return (created.PaymentId, plan.Invoice.AmountDue - plan.Portion.Amount, null);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsLostAnswer(ex))
            {
                logger.AnswerLost(request.MeshPaymentId, plan.Invoice.InvoiceId, attempt, ex.GetType().Name);
                if (await FindAsync(api, plan, marker, cancellationToken) is { } found)
                {
                    return (found.PaymentId, found.Balance, null);
                }

                if (attempt >= MaxWriteAttempts)
                {
                    throw;
                }
            }
            catch (XeroException ex) when (ex.IsValidation)
            {
                return await FindAsync(api, plan, marker, cancellationToken) is { } found
                    ? (found.PaymentId, found.Balance, null)
                    : (null, 0m, XeroWriteRules.Refused(plan.Invoice.InvoiceNumber ?? plan.Invoice.InvoiceId, ex));
            }
        }
    }

    /// <summary>This payment's own payments on the invoices it names, found by the marker; nothing is written.</summary>
    public static async Task<WritebackOutcome.Written?> FindAsync(IXeroApi api, PaymentWriteRequest request, CancellationToken cancellationToken)
    {
        var marker = IdempotencyKeys.Marker(request.MeshPaymentId);
        var found = new FoundWrites();
        foreach (var portion in request.Invoices)
        {
            if (Guid.TryParse(portion.ExternalInvoiceId, out _)
                && await XeroRecords.InvoiceAsync(api, portion.ExternalInvoiceId, cancellationToken) is { } invoice
                && XeroRecords.OwnPayment(invoice, marker) is { } own)
            {
                found.Add(own.PaymentId, portion, invoice.AmountDue);
            }
        }

        return found.Outcome();
    }

    private static async Task<(string PaymentId, decimal Balance)?> FindAsync(IXeroApi api, Plan plan, string marker, CancellationToken cancellationToken) =>
        await XeroRecords.InvoiceAsync(api, plan.Invoice.InvoiceId, cancellationToken) is { } now && XeroRecords.OwnPayment(now, marker) is { } own
            ? (own.PaymentId, now.AmountDue)
            : null;

    /// <summary>
    /// The request may or may not have been applied: no answer or a dropped connection (Refit wraps those in
    /// <see cref="ApiRequestException"/>), or Xero unavailable or throttled after the pipeline's own retries.
    /// </summary>
    private static bool IsLostAnswer(Exception ex) =>
        ex is ApiRequestException or HttpRequestException or TaskCanceledException or TimeoutException || ex is XeroException { IsTransient: true };

    private sealed record Plan(InvoicePortion Portion, XeroInvoice Invoice, string? ExistingPaymentId);
}
