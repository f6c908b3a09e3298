using Microsoft.Extensions.Logging;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// Writes a payment as one QuickBooks Payment per customer, each line linked to an invoice. First every invoice is read
/// again and judged (<see cref="QuickBooksWriteRules"/>): either every customer's Payment can be written, or nothing is.
/// A customer whose invoice already links a Payment carrying this payment's marker was written before (a retry): that
/// Payment is reported again instead of a second one.
/// </summary>
internal sealed class QuickBooksPaymentWrite(ILogger logger)
{
    /// <summary>The write; <paramref name="read"/> holds invoices already read for it (<see cref="ReadInvoicesAsync"/>), any other is read here.</summary>
    public async Task<WritebackOutcome> WriteAsync(IQuickBooksApi api, ConnectionSettings connection, PaymentWriteRequest request,
        IReadOnlyDictionary<string, QboInvoice?>? read, CancellationToken cancellationToken)
    {
        var realm = connection.RealmId!;
        var marker = IdempotencyKeys.Marker(request.MeshPaymentId);
        var plans = new List<CustomerPlan>();

        foreach (var group in request.Invoices.GroupBy(i => i.CustomerExternalId))
        {
            var plan = new CustomerPlan(group.Key, [.. group]);
            foreach (var portion in plan.Portions)
            {
                var invoice = read is not null && read.TryGetValue(portion.ExternalInvoiceId, out var ahead)
                    ? ahead
                    : await QuickBooksRecords.InvoiceAsync(api, realm, portion.ExternalInvoiceId, cancellationToken);
                if (invoice is null)
                {
                    return QuickBooksWriteRules.Deleted(portion.ExternalInvoiceId);
                }

                plan.Balances[portion.ExternalInvoiceId] = invoice.Balance;
                plan.ExistingPaymentId ??= await QuickBooksRecords.OwnPaymentIdAsync(api, realm, invoice, marker, cancellationToken);
                if (plan.ExistingPaymentId is not null)
                {
                    continue;
                }

                if (QuickBooksWriteRules.Refusal(invoice, portion, request.Currency) is { } refusal)
                {
                    return refusal;
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
                    ? new SurchargeLine(await QuickBooksSurcharge.InvoiceAsync(api, connection, request, plan.CustomerId, marker, cancellationToken), request.Surcharge)
                    : null;
                var created = await CreatePaymentAsync(api, realm, request, plan, marker, surcharge, cancellationToken);
                paymentId = created.Id!;
                foreach (var portion in plan.Portions)
                {
                    plan.Balances[portion.ExternalInvoiceId] -= QuickBooksWriteRules.Applied(portion, plan.Balances[portion.ExternalInvoiceId]);
                }
            }
            else
            {
                logger.AlreadyWritten(request.MeshPaymentId, paymentId);
            }

            paymentIds.Add(paymentId);
            invoices.AddRange(plan.Portions.Select(p =>
                new WrittenBackInvoice(p.InvoiceId, p.ExternalInvoiceId, p.Amount, plan.Balances[p.ExternalInvoiceId])));
        }

        var status = invoices.All(i => i.BalanceAfter == 0m) ? PaymentWritebackStatus.Paid : PaymentWritebackStatus.PartiallyPaid;
        return new WritebackOutcome.Written(status, paymentIds, invoices);
    }

    /// <summary>
    /// The invoices a write of the request is judged on, read side by side (null for one QuickBooks no longer has). An
    /// invoice whose read failed is left out, and the write reads it again; the task itself never fails.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, QboInvoice?>> ReadInvoicesAsync(IQuickBooksApi api, ConnectionSettings connection,
        PaymentWriteRequest request, CancellationToken cancellationToken)
    {
        var reads = request.Invoices.Select(i => i.ExternalInvoiceId).Distinct(StringComparer.Ordinal).Select(async id =>
        {
            try
            {
                return (Id: id, Read: true, Invoice: await QuickBooksRecords.InvoiceAsync(api, connection.RealmId!, id, cancellationToken));
            }
            catch (Exception)
            {
                return (Id: id, Read: false, Invoice: (QboInvoice?)null);
            }
        });
        return (await Task.WhenAll(reads)).Where(r => r.Read).ToDictionary(r => r.Id, r => r.Invoice, StringComparer.Ordinal);
    }

    /// <summary>This payment's own Payments linked to the invoices it names, found by the marker; nothing is written.</summary>
    public static async Task<WritebackOutcome.Written?> FindAsync(IQuickBooksApi api, ConnectionSettings connection, PaymentWriteRequest request,
        CancellationToken cancellationToken)
    {
        var realm = connection.RealmId!;
        var marker = IdempotencyKeys.Marker(request.MeshPaymentId);
        var found = new FoundWrites();
        foreach (var portion in request.Invoices)
        {
            if (await QuickBooksRecords.InvoiceAsync(api, realm, portion.ExternalInvoiceId, cancellationToken) is { } invoice
                && await QuickBooksRecords.OwnPaymentIdAsync(api, realm, invoice, marker, cancellationToken) is { } paymentId)
            {
                found.Add(paymentId, portion, invoice.Balance);
            }
        }

        return found.Outcome();
    }

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
                Amount = QuickBooksWriteRules.Applied(p, plan.Balances[p.ExternalInvoiceId]),
                LinkedTxn = [new QboLinkedTxn(p.ExternalInvoiceId, "Invoice")],
            }),
                .. surcharge is null ? [] : new[] { new QboPaymentLine { Amount = surcharge.Amount, LinkedTxn = [new QboLinkedTxn(surcharge.InvoiceId, "Invoice")] } }],
        };
        var requestId = IdempotencyKeys.QuickBooksPaymentRequestId(request.MeshPaymentId, plan.CustomerId);
        var created = (await api.CreatePaymentAsync(realm, payment, requestId, cancellationToken)).Payment;
        logger.Written(request.MeshPaymentId, created.Id, plan.CustomerId);
        return created;
    }

    private sealed record SurchargeLine(string InvoiceId, decimal Amount);

    /// <summary>One customer's Payment: the portions it pays, each invoice's balance as read, and an earlier write if found.</summary>
    private sealed class CustomerPlan(string customerId, IReadOnlyList<InvoicePortion> portions)
    {
        public string CustomerId { get; } = customerId;
        public IReadOnlyList<InvoicePortion> Portions { get; } = portions;
        public Dictionary<string, decimal> Balances { get; } = [];
        public string? ExistingPaymentId { get; set; }
    }
}
