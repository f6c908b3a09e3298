using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Refit;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.Integrations.Connections;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>
/// Records a platform payment in ConnectWise PSA as one invoice payment per invoice, and closes each invoice it pays
/// in full (the site's billing status with <c>closedFlag</c>).
/// Exactly once: ConnectWise has no idempotency key, so every payment carries <see cref="IdempotencyKeys.Marker"/> in
/// its <c>appliedBy</c> field (the Payment type's only free-text field; the marker is exactly its 50 characters), and
/// the invoice's payments are looked up for that marker before anything is written, and again when a write's answer
/// was lost. Nothing is written blindly: each invoice is re-read first, and one that was deleted, paid or credited
/// elsewhere, or is in another currency becomes a needs-attention outcome before any invoice is written.
/// External payment ids are <c>{invoiceId}/{paymentId}</c>, since ConnectWise addresses a payment through its invoice.
/// </summary>
public sealed partial class ConnectWisePaymentWriteback(ConnectWiseClientFactory clients, ILogger<ConnectWisePaymentWriteback> logger) : IPaymentWriteback
{
    private const string PaymentType = "Payment";
    private const int MaxWriteAttempts = 3;

    /// <summary>The Closed and the default open billing status of each connection's site (they are setup tables, rarely changed).</summary>
    private readonly ConcurrentDictionary<Guid, Statuses> _statuses = new();

    public IntegrationKind Kind => IntegrationKind.ConnectWisePsa;

    public async Task<WritebackOutcome> WriteAsync(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken)
    {
        var api = clients.Create(connection);
        var marker = IdempotencyKeys.Marker(request.MeshPaymentId);

        // First every invoice is re-read and checked: either all can be paid, or nothing is written.
        var plans = new List<Plan>();
        foreach (var portion in request.Invoices)
        {
            if (!int.TryParse(portion.ExternalInvoiceId, NumberStyles.None, CultureInfo.InvariantCulture, out var invoiceId))
            {
                return new WritebackOutcome.NeedsAttention("invoice-deleted",
                    $"Invoice {portion.ExternalInvoiceId} is not a ConnectWise invoice id; nothing was written.");
            }

            var invoice = await ReadInvoiceAsync(api, invoiceId, cancellationToken);
            if (invoice is null)
            {
                return new WritebackOutcome.NeedsAttention("invoice-deleted",
                    $"Invoice {portion.ExternalInvoiceId} no longer exists in ConnectWise; nothing was written.");
            }

            var existing = await FindOwnPaymentAsync(api, invoiceId, marker, cancellationToken);
            if (existing is null && Check(invoice, portion, request.Currency) is { } problem)
            {
                return problem;
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
                if (outcome.Attention is not null)
                {
                    return outcome.Attention;
                }

                payment = outcome.Payment!;
            }
            else
            {
                LogAlreadyWritten(logger, request.MeshPaymentId, plan.InvoiceId, payment.Id);
            }

            var after = await ConnectWiseException.Call(() => api.GetInvoiceAsync(plan.InvoiceId, cancellationToken));
            var balance = after.Balance ?? 0m;
            if (balance == 0m)
            {
                await CloseAsync(api, connection, after, cancellationToken);
            }

            paymentIds.Add(ExternalId(plan.InvoiceId, payment.Id!.Value));
            written.Add(new WrittenBackInvoice(plan.Portion.InvoiceId, plan.Portion.ExternalInvoiceId, plan.Portion.Amount, balance));
        }

        var status = written.All(i => i.BalanceAfter == 0m) ? PaymentWritebackStatus.Paid : PaymentWritebackStatus.PartiallyPaid;
        return new WritebackOutcome.Written(status, paymentIds, written);
    }

    public async Task<WritebackOutcome> ReverseAsync(ConnectionSettings connection, PaymentReversalRequest request, CancellationToken cancellationToken)
    {
        var (meshPaymentId, externalPaymentIds) = (request.MeshPaymentId, request.ExternalPaymentIds);
        var api = clients.Create(connection);
        var marker = IdempotencyKeys.Marker(meshPaymentId);
        foreach (var invoiceGroup in externalPaymentIds.Select(Parse).GroupBy(p => p.InvoiceId))
        {
            var invoiceId = invoiceGroup.Key;
            var invoice = await ReadInvoiceAsync(api, invoiceId, cancellationToken);
            if (invoice is null)
            {
                continue; // the invoice was deleted in PSA (its payments first): nothing of ours counts any more
            }

            // Ours are the recorded ids and anything else carrying our marker; a payment someone else made stays.
            var payments = await ConnectWiseException.Call(() => api.ListPaymentsAsync(invoiceId, cancellationToken: cancellationToken));
            var ours = payments.Where(p => p.Id is not null && IsOurs(p, marker)).Select(p => p.Id!.Value).ToHashSet();
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
                    await ConnectWiseException.Call(() => api.DeletePaymentAsync(invoiceId, paymentId, cancellationToken));
                    LogDeleted(logger, meshPaymentId, invoiceId, paymentId);
                }
                catch (ConnectWiseException ex) when (ex.IsNotFound)
                {
                    // Deleted meanwhile (a retry, or a person): what a reversal wants.
                }
            }

            var reopened = await ConnectWiseException.Call(() => api.GetInvoiceAsync(invoiceId, cancellationToken));
            await ReopenAsync(api, connection, reopened, cancellationToken);
        }

        return new WritebackOutcome.Reversed(externalPaymentIds);
    }

    private static WritebackOutcome.NeedsAttention? Check(ConnectWiseInvoice invoice, InvoicePortion portion, string currency)
    {
        var name = invoice.InvoiceNumber ?? invoice.Id.ToString(CultureInfo.InvariantCulture);
        var invoiceCurrency = invoice.Currency?.CurrencyCode ?? "USD";
        if (!string.Equals(invoiceCurrency, currency, StringComparison.OrdinalIgnoreCase))
        {
            return new("currency-mismatch", $"Invoice {name} is in {invoiceCurrency}, the payment in {currency}; nothing was written.");
        }

        var balance = invoice.Balance ?? 0m;
        if (balance < portion.Amount)
        {
            // ConnectWise refuses a payment above the balance, and an invoice payment cannot hold unapplied credit.
            return new("invoice-balance-changed",
                $"Invoice {name} has a balance of {balance} in ConnectWise, less than the {portion.Amount} paid " +
                "(paid or credited there already?); nothing was written.");
        }

        return null;
    }

    /// <summary>
    /// POSTs the payment. ConnectWise has no idempotency key, so when the answer is lost (connection dropped, timeout)
    /// the invoice's payments are looked up for the marker before posting again: the first write is found, not repeated.
    /// </summary>
    private async Task<(ConnectWisePayment? Payment, WritebackOutcome.NeedsAttention? Attention)> CreatePaymentAsync(
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
                LogWritten(logger, request.MeshPaymentId, plan.InvoiceId, created.Id);
                return (created, null);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsLostAnswer(ex))
            {
                LogAnswerLost(logger, request.MeshPaymentId, plan.InvoiceId, attempt, ex.GetType().Name);
                var found = await FindOwnPaymentAsync(api, plan.InvoiceId, marker, cancellationToken);
                if (found is not null)
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
                var found = await FindOwnPaymentAsync(api, plan.InvoiceId, marker, cancellationToken);
                if (found is not null)
                {
                    return (found, null);
                }

                return (null, new WritebackOutcome.NeedsAttention("invoice-balance-changed",
                    $"ConnectWise refused the payment for invoice {plan.Invoice.InvoiceNumber ?? plan.Portion.ExternalInvoiceId}: {ex.Message}; " +
                    "nothing was written for it."));
            }
        }
    }

    /// <summary>
    /// The request may or may not have been applied: no answer or a dropped connection (Refit wraps those in
    /// <see cref="ApiRequestException"/>), or a gateway error.
    /// </summary>
    private static bool IsLostAnswer(Exception ex) =>
        ex is ApiRequestException or HttpRequestException or TaskCanceledException or TimeoutException || ex is ConnectWiseException { IsTransient: true };

    private static async Task<ConnectWiseInvoice?> ReadInvoiceAsync(IConnectWiseApi api, int invoiceId, CancellationToken cancellationToken)
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

    /// <summary>A payment on the invoice whose appliedBy carries this payment's marker: our own earlier write.</summary>
    private static async Task<ConnectWisePayment?> FindOwnPaymentAsync(IConnectWiseApi api, int invoiceId, string marker, CancellationToken cancellationToken)
    {
        var payments = await ConnectWiseException.Call(() => api.ListPaymentsAsync(invoiceId, cancellationToken: cancellationToken));
        return payments.FirstOrDefault(p => p.Id is not null && IsOurs(p, marker));
    }

    private static bool IsOurs(ConnectWisePayment payment, string marker) =>
        payment.AppliedBy?.Contains(marker, StringComparison.OrdinalIgnoreCase) == true;

    private async Task CloseAsync(IConnectWiseApi api, ConnectionSettings connection, ConnectWiseInvoice invoice, CancellationToken cancellationToken)
    {
        var statuses = await StatusesAsync(api, connection, cancellationToken);
        if (statuses.Closed is not { } closed || statuses.IsClosed(invoice.Status?.Id))
        {
            return;
        }

        await SetStatusAsync(api, invoice.Id, closed, cancellationToken);
        LogClosed(logger, invoice.Id, closed);
    }

    /// <summary>
    /// A Closed invoice with a balance again goes back to the site's default billing status: ConnectWise keeps no
    /// status history to restore, and the default status is the one a fresh, unpaid invoice has.
    /// </summary>
    private async Task ReopenAsync(IConnectWiseApi api, ConnectionSettings connection, ConnectWiseInvoice invoice, CancellationToken cancellationToken)
    {
        var statuses = await StatusesAsync(api, connection, cancellationToken);
        if ((invoice.Balance ?? 0m) <= 0m || !statuses.IsClosed(invoice.Status?.Id) || statuses.Open is not { } open)
        {
            return;
        }

        await SetStatusAsync(api, invoice.Id, open, cancellationToken);
        LogReopened(logger, invoice.Id, open);
    }

    private static Task<ConnectWiseInvoice> SetStatusAsync(IConnectWiseApi api, int invoiceId, int statusId, CancellationToken cancellationToken) =>
        ConnectWiseException.Call(() => api.PatchInvoiceAsync(invoiceId,
            [new ConnectWisePatchOperation("replace", "status", new ConnectWiseIdReference(statusId))], cancellationToken));

    private async Task<Statuses> StatusesAsync(IConnectWiseApi api, ConnectionSettings connection, CancellationToken cancellationToken)
    {
        if (_statuses.TryGetValue(connection.Id, out var known))
        {
            return known;
        }

        var all = await ConnectWiseException.Call(() => api.ListBillingStatusesAsync(cancellationToken: cancellationToken));
        var active = all.Where(s => s.InactiveFlag != true).OrderBy(s => s.SortOrder ?? int.MaxValue).ThenBy(s => s.Id).ToList();
        var closedIds = all.Where(s => s.ClosedFlag == true).Select(s => s.Id).ToHashSet();
        var closed = active.FirstOrDefault(s => s.ClosedFlag == true)?.Id;
        var open = (active.FirstOrDefault(s => s.DefaultFlag == true && s.ClosedFlag != true) ?? active.FirstOrDefault(s => s.ClosedFlag != true))?.Id;
        if (closed is null)
        {
            LogNoClosedStatus(logger, connection.Id);
        }

        return _statuses[connection.Id] = new Statuses(closed, open, closedIds);
    }

    public static string ExternalId(int invoiceId, int paymentId) =>
        string.Create(CultureInfo.InvariantCulture, $"{invoiceId}/{paymentId}");

    private static (int InvoiceId, int PaymentId) Parse(string externalId)
    {
        var parts = externalId.Split('/');
        return parts.Length == 2
               && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var invoiceId)
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var paymentId)
            ? (invoiceId, paymentId)
            : throw new FormatException($"'{externalId}' is not a ConnectWise payment id of the form invoiceId/paymentId.");
    }

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId} recorded in ConnectWise as payment {PaymentId} on invoice {InvoiceId}")]
    private static partial void LogWritten(ILogger logger, Guid meshPaymentId, int invoiceId, int? paymentId);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId} was already recorded in ConnectWise as payment {PaymentId} on invoice {InvoiceId}")]
    private static partial void LogAlreadyWritten(ILogger logger, Guid meshPaymentId, int invoiceId, int? paymentId);

    [LoggerMessage(LogLevel.Warning, "Payment {MeshPaymentId}: the answer to writing it on ConnectWise invoice {InvoiceId} was lost (attempt {Attempt}, {Error}); looking it up before writing again")]
    private static partial void LogAnswerLost(ILogger logger, Guid meshPaymentId, int invoiceId, int attempt, string error);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId}: ConnectWise payment {PaymentId} on invoice {InvoiceId} deleted")]
    private static partial void LogDeleted(ILogger logger, Guid meshPaymentId, int invoiceId, int paymentId);

    [LoggerMessage(LogLevel.Information, "ConnectWise invoice {InvoiceId} paid in full: billing status set to {StatusId} (Closed)")]
    private static partial void LogClosed(ILogger logger, int invoiceId, int statusId);

    [LoggerMessage(LogLevel.Information, "ConnectWise invoice {InvoiceId} open again: billing status set to {StatusId}")]
    private static partial void LogReopened(ILogger logger, int invoiceId, int statusId);

    [LoggerMessage(LogLevel.Warning, "Connection {ConnectionId}: the ConnectWise site has no active billing status with closedFlag; paid invoices stay in their status")]
    private static partial void LogNoClosedStatus(ILogger logger, Guid connectionId);

    private sealed record Plan(InvoicePortion Portion, int InvoiceId, ConnectWiseInvoice Invoice, ConnectWisePayment? Existing);

    private sealed record Statuses(int? Closed, int? Open, HashSet<int> ClosedIds)
    {
        public bool IsClosed(int? statusId) => statusId is { } id && ClosedIds.Contains(id);
    }
}
