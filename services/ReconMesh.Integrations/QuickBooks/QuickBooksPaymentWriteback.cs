using Microsoft.Extensions.Logging;
using Refit;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.Integrations.Connections;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// Records a platform payment in QuickBooks Online as one Payment per customer, each line linked to an invoice.
/// Exactly once: every Payment carries a <c>requestid</c> derived from ReconMesh's ids (QuickBooks replays the first
/// response for a repeated id) and a marker in its PrivateNote, so that a retry that finds the invoice already
/// reduced recognises its own earlier write instead of reporting a conflict or paying again.
/// Nothing is written blindly: each invoice is re-read first, and one that was deleted, voided, paid elsewhere or
/// is in another currency becomes a needs-attention outcome.
/// </summary>
public sealed partial class QuickBooksPaymentWriteback(QuickBooksClientFactory clients, ILogger<QuickBooksPaymentWriteback> logger) : IPaymentWriteback
{
    public IntegrationKind Kind => IntegrationKind.QuickBooksOnline;

    public async Task<WritebackOutcome> WriteAsync(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken)
    {
        var api = clients.Create(connection);
        var realm = connection.RealmId!;
        var marker = IdempotencyKeys.Marker(request.MeshPaymentId);
        var plans = new List<CustomerPlan>();

        foreach (var group in request.Invoices.GroupBy(i => i.CustomerExternalId))
        {
            var plan = new CustomerPlan(group.Key, [.. group]);
            foreach (var portion in plan.Portions)
            {
                var invoice = await ReadInvoiceAsync(api, realm, portion.ExternalInvoiceId, cancellationToken);
                if (invoice is null)
                {
                    return new WritebackOutcome.NeedsAttention("invoice-deleted",
                        $"Invoice {portion.ExternalInvoiceId} no longer exists in QuickBooks; nothing was written.");
                }

                plan.Balances[portion.ExternalInvoiceId] = invoice.Balance;
                plan.ExistingPaymentId ??= await FindOwnPaymentAsync(api, realm, invoice, marker, cancellationToken);
                if (plan.ExistingPaymentId is not null)
                {
                    continue;
                }

                var problem = Check(invoice, portion, request.Currency);
                if (problem is not null)
                {
                    return problem;
                }
            }

            plans.Add(plan);
        }

        var paymentIds = new List<string>();
        var invoices = new List<WrittenBackInvoice>();
        foreach (var plan in plans)
        {
            var paymentId = plan.ExistingPaymentId;
            if (paymentId is null)
            {
                // A surcharge is booked once, with the first customer's Payment, against an invoice of its own.
                var surcharge = request.Surcharge > 0m && plan == plans[0]
                    ? new SurchargeLine(await SurchargeInvoiceAsync(api, connection, request, plan.CustomerId, marker, cancellationToken), request.Surcharge)
                    : null;
                var created = await CreatePaymentAsync(api, realm, request, plan, marker, surcharge, cancellationToken);
                paymentId = created.Id!;
                foreach (var portion in plan.Portions)
                {
                    plan.Balances[portion.ExternalInvoiceId] -= Math.Min(portion.Amount, plan.Balances[portion.ExternalInvoiceId]);
                }
            }
            else
            {
                LogAlreadyWritten(logger, request.MeshPaymentId, paymentId);
            }

            paymentIds.Add(paymentId);
            invoices.AddRange(plan.Portions.Select(p =>
                new WrittenBackInvoice(p.InvoiceId, p.ExternalInvoiceId, p.Amount, plan.Balances[p.ExternalInvoiceId])));
        }

        var status = invoices.All(i => i.BalanceAfter == 0m) ? PaymentWritebackStatus.Paid : PaymentWritebackStatus.PartiallyPaid;
        return new WritebackOutcome.Written(status, paymentIds, invoices);
    }

    public async Task<WritebackOutcome> ReverseAsync(ConnectionSettings connection, PaymentReversalRequest request, CancellationToken cancellationToken)
    {
        var api = clients.Create(connection);
        var realm = connection.RealmId!;
        var reinstatements = new List<string>();
        var voided = false;
        foreach (var paymentId in request.ExternalPaymentIds)
        {
            switch (await VoidAsync(api, realm, request.MeshPaymentId, paymentId, cancellationToken))
            {
                case VoidResult.Deposited deposited:
                    reinstatements.Add(await ReinstateAsync(api, connection, request, deposited.Payment, cancellationToken));
                    break;
                case VoidResult.Refused refused:
                    return refused.Outcome;
                default:
                    voided = true;
                    break;
            }
        }

        if (voided && request.Surcharge > 0m)
        {
            // The surcharge invoice would be open again once its payment is voided: the customer owes no surcharge
            // for money that did not stay paid.
            await VoidSurchargeInvoiceAsync(api, realm, request.MeshPaymentId, cancellationToken);
        }

        return new WritebackOutcome.Reversed(request.ExternalPaymentIds, reinstatements);
    }

    private abstract record VoidResult
    {
        public sealed record Done : VoidResult;

        /// <summary>QuickBooks refuses to change it (6540): it is part of a deposit.</summary>
        public sealed record Deposited(QboPayment Payment) : VoidResult;

        public sealed record Refused(WritebackOutcome.NeedsAttention Outcome) : VoidResult;
    }

    /// <summary>Voids one payment, re-reading its SyncToken when someone changed it meanwhile (5010).</summary>
    private async Task<VoidResult> VoidAsync(IQuickBooksApi api, string realm, Guid meshPaymentId, string paymentId, CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            QboPayment current;
            try
            {
                current = (await api.GetPaymentAsync(realm, paymentId, cancellationToken)).Payment;
            }
            catch (ApiException ex)
            {
                var fault = QuickBooksException.From(ex);
                if (fault.IsNotFound)
                {
                    // Deleted in QuickBooks by a person: it no longer counts, which is what a reversal wants.
                    return new VoidResult.Done();
                }

                throw fault;
            }

            if (current.TotalAmt == 0m && (current.PrivateNote?.StartsWith("Voided", StringComparison.OrdinalIgnoreCase) ?? false))
            {
                return new VoidResult.Done();
            }

            try
            {
                var requestId = IdempotencyKeys.QuickBooksVoidRequestId(meshPaymentId, paymentId, current.SyncToken ?? "");
                await api.VoidPaymentAsync(realm, new QboVoidRequest(paymentId, current.SyncToken ?? "0"), requestId, cancellationToken);
                LogVoided(logger, meshPaymentId, paymentId);
                return new VoidResult.Done();
            }
            catch (ApiException ex)
            {
                var fault = QuickBooksException.From(ex);
                if (fault.IsStaleObject && attempt < attempts)
                {
                    continue;
                }

                if (fault.Code == "6540")
                {
                    return new VoidResult.Deposited(current);
                }

                throw fault;
            }
        }
    }

    /// <summary>
    /// A deposited payment cannot be changed, and the deposit matches the bank: history stays as it is. Instead the
    /// amount is put back on the customer's account with a reinstatement invoice (as for a returned cheque), whose
    /// line is credited to the reversals clearing account; the payout that nets the reversal debits the same account.
    /// Found by its document number before it is created, and created with a requestid, so it exists once.
    /// </summary>
    private async Task<string> ReinstateAsync(IQuickBooksApi api, ConnectionSettings connection, PaymentReversalRequest request, QboPayment payment,
        CancellationToken cancellationToken)
    {
        var realm = connection.RealmId!;
        var docNumber = ReinstatementDocNumber(payment.Id!);
        var marker = IdempotencyKeys.Marker(request.MeshPaymentId);
        if (await QuickBooksChartOfAccounts.OwnInvoiceAsync(api, realm, docNumber, marker, cancellationToken) is { } found)
        {
            return found.Id;
        }

        var clearing = connection.ReversalsAccountId
            ?? await QuickBooksChartOfAccounts.AccountAsync(api, realm, QuickBooksChartOfAccounts.ReversalsClearing, cancellationToken);
        var item = await QuickBooksChartOfAccounts.ItemAsync(api, realm, QuickBooksChartOfAccounts.ReversalItem, clearing, cancellationToken);
        // The whole payment goes to the clearing account (the payout takes it all back); the surcharge part comes off
        // the surcharge income, so the customer owes again what the invoices said, and no surcharge.
        var surchargeLine = request.Surcharge > 0m && await HasSurchargeLineAsync(api, realm, request.MeshPaymentId, payment, cancellationToken)
            ? new QboNewSalesLine
            {
                Amount = -request.Surcharge,
                Description = $"Surcharge of payment {request.PaymentId}, not owed again",
                SalesItemLineDetail = new QboSalesItemLineDetail(await QuickBooksChartOfAccounts.SurchargeItemAsync(api, connection, cancellationToken), null, null),
            }
            : null;
        var what = request.Kind switch
        {
            PaymentReversalKind.Refunded => "refunded",
            PaymentReversalKind.ChargedBack => "charged back",
            _ => "returned",
        };
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
        var created = (await QuickBooksChartOfAccounts.Call(() => api.CreateInvoiceAsync(realm, invoice,
            IdempotencyKeys.QuickBooksReinstatementRequestId(request.MeshPaymentId, payment.Id!), cancellationToken))).Invoice;
        LogReinstated(logger, request.MeshPaymentId, payment.Id, created.Id, payment.TotalAmt);
        return created.Id;
    }

    /// <summary>
    /// The invoice that books a payment's surcharge (the partner's policy of passing card fees on): one line of the item
    /// "ReconMesh Card Surcharge", income to the surcharge account, for the customer of the payment's first invoice.
    /// The payment pays it with a line of its own, so the customers' invoices keep their balances and the surcharge is
    /// income, not unapplied credit. Found by its number before it is created, and created with a requestid.
    /// </summary>
    private static async Task<string> SurchargeInvoiceAsync(IQuickBooksApi api, ConnectionSettings connection, PaymentWriteRequest request,
        string customerId, string marker, CancellationToken cancellationToken)
    {
        var realm = connection.RealmId!;
        var docNumber = SurchargeDocNumber(request.MeshPaymentId);
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
        return (await QuickBooksChartOfAccounts.Call(() => api.CreateInvoiceAsync(realm, invoice,
            IdempotencyKeys.QuickBooksSurchargeRequestId(request.MeshPaymentId), cancellationToken))).Invoice.Id;
    }

    /// <summary>Whether this QuickBooks Payment carries the payment's surcharge line (only the first customer's does).</summary>
    private static async Task<bool> HasSurchargeLineAsync(IQuickBooksApi api, string realm, Guid meshPaymentId, QboPayment payment,
        CancellationToken cancellationToken) =>
        await QuickBooksChartOfAccounts.OwnInvoiceAsync(api, realm, SurchargeDocNumber(meshPaymentId), IdempotencyKeys.Marker(meshPaymentId), cancellationToken)
            is { } surcharge && payment.Line.Any(l => l.LinkedTxn.Any(t => t.TxnId == surcharge.Id));

    private static async Task VoidSurchargeInvoiceAsync(IQuickBooksApi api, string realm, Guid meshPaymentId, CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var invoice = await QuickBooksChartOfAccounts.OwnInvoiceAsync(api, realm, SurchargeDocNumber(meshPaymentId), IdempotencyKeys.Marker(meshPaymentId),
                cancellationToken);
            if (invoice is null || invoice.TotalAmt == 0m)
            {
                return; // never created, or already voided
            }

            try
            {
                await api.VoidInvoiceAsync(realm, new QboVoidRequest(invoice.Id, invoice.SyncToken),
                    IdempotencyKeys.QuickBooksInvoiceVoidRequestId(invoice.Id, invoice.SyncToken), cancellationToken);
                return;
            }
            catch (ApiException ex) when (QuickBooksException.From(ex) is { IsStaleObject: true } && attempt < attempts)
            {
            }
            catch (ApiException ex)
            {
                throw QuickBooksException.From(ex);
            }
        }
    }

    /// <summary>The surcharge invoice's number: "RMS-" and 16 hex digits of ReconMesh's payment id (at most 21 characters).</summary>
    public static string SurchargeDocNumber(Guid meshPaymentId) => "RMS-" + meshPaymentId.ToString("N")[..16];

    /// <summary>The reinstatement invoice's number: "RMR-" and the QuickBooks Payment's id (at most 21 characters).</summary>
    public static string ReinstatementDocNumber(string qboPaymentId) => "RMR-" + qboPaymentId;

    private static WritebackOutcome.NeedsAttention? Check(QboInvoice invoice, InvoicePortion portion, string currency)
    {
        var invoiceCurrency = invoice.CurrencyRef?.Value ?? "USD";
        if (!string.Equals(invoiceCurrency, currency, StringComparison.OrdinalIgnoreCase))
        {
            return new("currency-mismatch",
                $"Invoice {invoice.DocNumber ?? invoice.Id} is in {invoiceCurrency}, the payment in {currency}; nothing was written.");
        }

        if (invoice.TotalAmt == 0m && (invoice.PrivateNote?.StartsWith("Voided", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return new("invoice-voided", $"Invoice {invoice.DocNumber ?? invoice.Id} was voided in QuickBooks; nothing was written.");
        }

        if (invoice.Balance < portion.Amount && !IsOverpayment(invoice, portion))
        {
            return new("invoice-balance-changed",
                $"Invoice {invoice.DocNumber ?? invoice.Id} has a balance of {invoice.Balance} in QuickBooks, less than the {portion.Amount} paid " +
                "(paid or credited there already?); nothing was written.");
        }

        return null;
    }

    /// <summary>
    /// Overpayment policy: a customer who paid more than the whole invoice, on an invoice nobody has paid any of in
    /// QuickBooks, gets the invoice paid in full and the excess recorded as unapplied credit on the same Payment
    /// (QuickBooks' own UnappliedAmt). Anything else that exceeds the balance means the invoice changed in QuickBooks
    /// (paid by cheque, credited) and needs a person.
    /// </summary>
    public static bool IsOverpayment(QboInvoice invoice, InvoicePortion portion) =>
        portion.Amount > invoice.TotalAmt && invoice.Balance == invoice.TotalAmt && invoice.TotalAmt > 0m;

    private static async Task<QboInvoice?> ReadInvoiceAsync(IQuickBooksApi api, string realm, string invoiceId, CancellationToken cancellationToken)
    {
        try
        {
            return (await api.GetInvoiceAsync(realm, invoiceId, cancellationToken)).Invoice;
        }
        catch (ApiException ex)
        {
            var fault = QuickBooksException.From(ex);
            if (fault.IsNotFound)
            {
                return null;
            }

            throw fault;
        }
    }

    /// <summary>A payment linked to the invoice whose note carries this payment's marker: our own earlier write.</summary>
    private static async Task<string?> FindOwnPaymentAsync(IQuickBooksApi api, string realm, QboInvoice invoice, string marker, CancellationToken cancellationToken)
    {
        foreach (var link in invoice.LinkedTxn ?? [])
        {
            if (!string.Equals(link.TxnType, "Payment", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            try
            {
                var payment = (await api.GetPaymentAsync(realm, link.TxnId, cancellationToken)).Payment;
                if (payment.PrivateNote?.Contains(marker, StringComparison.Ordinal) == true && payment.TotalAmt != 0m)
                {
                    return payment.Id;
                }
            }
            catch (ApiException ex)
            {
                var fault = QuickBooksException.From(ex);
                if (!fault.IsNotFound)
                {
                    throw fault;
                }
            }
        }

        return null;
    }

    private sealed record SurchargeLine(string InvoiceId, decimal Amount);

    private async Task<QboPayment> CreatePaymentAsync(IQuickBooksApi api, string realm,
        PaymentWriteRequest request, CustomerPlan plan, string marker, SurchargeLine? surcharge, CancellationToken cancellationToken)
    {
        var payment = new QboPayment
        {
            CustomerRef = new QboRef(plan.CustomerId),
            TotalAmt = plan.Portions.Sum(p => p.Amount) + (surcharge?.Amount ?? 0m),
            TxnDate = request.PaidOn,
            CurrencyRef = new QboRef(request.Currency.ToUpperInvariant()),
            // Always Undeposited Funds: the payout's deposit moves the money to the bank, as the bank feed shows it.
            DepositToAccountRef = null,
            PaymentRefNum = request.PaymentId.Length <= 21 ? request.PaymentId : request.PaymentId[..21],
            PrivateNote = $"{marker} (platform payment {request.PaymentId})",
            // A line applies at most the invoice's balance; what a portion pays beyond it stays unapplied credit.
            Line = [.. plan.Portions.Select(p => new QboPaymentLine
            {
                Amount = Math.Min(p.Amount, plan.Balances[p.ExternalInvoiceId]),
                LinkedTxn = [new QboLinkedTxn(p.ExternalInvoiceId, "Invoice")],
            }),
                .. surcharge is null ? [] : new[] { new QboPaymentLine { Amount = surcharge.Amount, LinkedTxn = [new QboLinkedTxn(surcharge.InvoiceId, "Invoice")] } }],
        };
        var requestId = IdempotencyKeys.QuickBooksPaymentRequestId(request.MeshPaymentId, plan.CustomerId);
        try
        {
            var created = (await api.CreatePaymentAsync(realm, payment, requestId, cancellationToken)).Payment;
            LogWritten(logger, request.MeshPaymentId, created.Id, plan.CustomerId);
            return created;
        }
        catch (ApiException ex)
        {
            throw QuickBooksException.From(ex);
        }
    }

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId} recorded in QuickBooks as Payment {QboPaymentId} for customer {CustomerId}")]
    private static partial void LogWritten(ILogger logger, Guid meshPaymentId, string? qboPaymentId, string customerId);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId}: QuickBooks Payment {QboPaymentId} voided")]
    private static partial void LogVoided(ILogger logger, Guid meshPaymentId, string qboPaymentId);

    [LoggerMessage(LogLevel.Information,
        "Payment {MeshPaymentId}: QuickBooks Payment {QboPaymentId} is deposited; invoice {InvoiceId} reinstates its {Amount}")]
    private static partial void LogReinstated(ILogger logger, Guid meshPaymentId, string? qboPaymentId, string invoiceId, decimal amount);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId} was already recorded in QuickBooks as Payment {QboPaymentId}")]
    private static partial void LogAlreadyWritten(ILogger logger, Guid meshPaymentId, string qboPaymentId);

    private sealed class CustomerPlan(string customerId, IReadOnlyList<InvoicePortion> portions)
    {
        public string CustomerId { get; } = customerId;
        public IReadOnlyList<InvoicePortion> Portions { get; } = portions;
        public Dictionary<string, decimal> Balances { get; } = [];
        public string? ExistingPaymentId { get; set; }
    }
}
