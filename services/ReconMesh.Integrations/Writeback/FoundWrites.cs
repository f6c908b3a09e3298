using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;

namespace ReconMesh.Integrations.Writeback;

/// <summary>What the adapters' look for an earlier write found, invoice by invoice, as the outcome of that write.</summary>
internal sealed class FoundWrites
{
    private readonly List<string> _paymentIds = [];
    private readonly List<WrittenBackInvoice> _invoices = [];

    public void Add(string externalPaymentId, InvoicePortion portion, decimal balanceNow)
    {
        if (!_paymentIds.Contains(externalPaymentId, StringComparer.Ordinal))
        {
            _paymentIds.Add(externalPaymentId);
        }

        _invoices.Add(new WrittenBackInvoice(portion.InvoiceId, portion.ExternalInvoiceId, portion.Amount, balanceNow));
    }

    /// <summary>Null when nothing was found.</summary>
    public WritebackOutcome.Written? Outcome() => _paymentIds.Count == 0
        ? null
        : new WritebackOutcome.Written(_invoices.All(i => i.BalanceAfter == 0m) ? PaymentWritebackStatus.Paid : PaymentWritebackStatus.PartiallyPaid,
            [.. _paymentIds], [.. _invoices]);
}
