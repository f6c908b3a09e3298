using System.Collections.Concurrent;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.Sandbox.Platform;

/// <summary>
/// What the simulated payment platform knows: the invoices the mesh synced to it (latest revision of each) and what
/// became of the payments it reported. Safe under concurrent consumers and requests.
/// </summary>
public sealed class PlatformCatalog
{
    private readonly ConcurrentDictionary<Guid, InvoiceSynced> _invoices = new();
    private readonly ConcurrentDictionary<string, PaymentRecord> _payments = new();
    private readonly ConcurrentDictionary<string, PayoutRecord> _payouts = new();

    public sealed record PayoutRecord(ReconMesh.Contracts.Payouts.PayoutPaid Payout, string Outcome, string? DepositId, string? Reason);

    public void Sent(ReconMesh.Contracts.Payouts.PayoutPaid payout) => _payouts[Key(payout.TenantId, payout.PayoutId)] = new(payout, "sent", null, null);

    public void PayoutOutcome(string tenantId, string payoutId, string outcome, string? depositId, string? reason) =>
        _payouts.AddOrUpdate(Key(tenantId, payoutId), _ => throw new KeyNotFoundException(),
            (_, p) => p with { Outcome = outcome, DepositId = depositId, Reason = reason });

    public bool KnowsPayout(string tenantId, string payoutId) => _payouts.ContainsKey(Key(tenantId, payoutId));

    public IReadOnlyList<PayoutRecord> Payouts(string? tenantId) =>
        [.. _payouts.Values.Where(p => tenantId is null || p.Payout.TenantId == tenantId)];

    public PaymentRecord? Payment(string tenantId, string paymentId) => _payments.GetValueOrDefault(Key(tenantId, paymentId));

    public sealed record PaymentRecord(PaymentProcessed Payment, string Outcome, string? Reason);

    private readonly ConcurrentDictionary<string, InvoiceProgress> _heard = new();

    /// <summary>
    /// How many invoices of a tenant the platform has heard of (each counted once, the first time), and when it first heard
    /// of the latest of them, in Unix milliseconds of this machine's clock: a benchmark on the same machine times a sync's
    /// end exactly, whenever it asks.
    /// </summary>
    public sealed record InvoiceProgress(string TenantId, int Invoices, long LastFirstHeardAtMs);

    public void Remember(InvoiceSynced invoice)
    {
        if (_invoices.TryAdd(invoice.InvoiceId, invoice))
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            _heard.AddOrUpdate(invoice.TenantId, t => new InvoiceProgress(t, 1, now),
                (_, p) => p with { Invoices = p.Invoices + 1, LastFirstHeardAtMs = Math.Max(p.LastFirstHeardAtMs, now) });
            return;
        }

        _invoices.AddOrUpdate(invoice.InvoiceId, invoice, (_, known) => known.Revision >= invoice.Revision ? known : invoice);
    }

    public InvoiceProgress Progress(string tenantId) => _heard.GetValueOrDefault(tenantId) ?? new InvoiceProgress(tenantId, 0, 0);

    public IReadOnlyList<InvoiceSynced> Invoices(string? tenantId) =>
        [.. _invoices.Values.Where(i => tenantId is null || i.TenantId == tenantId).OrderBy(i => i.Number, StringComparer.Ordinal)];

    public InvoiceSynced? Invoice(Guid id) => _invoices.GetValueOrDefault(id);

    public void Forget(Guid invoiceId) => _invoices.TryRemove(invoiceId, out _);

    public void Sent(PaymentProcessed payment) => _payments[Key(payment.TenantId, payment.PaymentId)] = new(payment, "sent", null);

    public void Outcome(string tenantId, string paymentId, string outcome, string? reason) =>
        _payments.AddOrUpdate(Key(tenantId, paymentId), _ => throw new KeyNotFoundException(), (_, p) => p with { Outcome = outcome, Reason = reason });

    public bool Knows(string tenantId, string paymentId) => _payments.ContainsKey(Key(tenantId, paymentId));

    public IReadOnlyList<PaymentRecord> Payments(string? tenantId) =>
        [.. _payments.Values.Where(p => tenantId is null || p.Payment.TenantId == tenantId)];

    private static string Key(string tenantId, string paymentId) => tenantId + "\n" + paymentId;
}
