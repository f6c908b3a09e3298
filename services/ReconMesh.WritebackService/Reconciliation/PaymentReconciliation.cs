using ReconMesh.Contracts.Payments;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// The state of one payment's two-way sync, stored as a Marten document with optimistic concurrency; moved only by
/// <see cref="PaymentReconciliationDecider"/>.
/// </summary>
public sealed class PaymentReconciliation
{
    /// <summary>ReconMesh's payment id.</summary>
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public string PaymentId { get; set; } = "";

    public string TenantId { get; set; } = "";

    public string Currency { get; set; } = "";

    public decimal Amount { get; set; }

    /// <summary>What the customer paid on top of <see cref="Amount"/> as a surcharge.</summary>
    public decimal Surcharge { get; set; }

    public List<PaymentAllocation> Allocations { get; set; } = [];

    public DateTimeOffset ProcessedAt { get; set; }

    public List<string> ExternalPaymentIds { get; set; } = [];

    public PaymentWritebackStatus? WrittenStatus { get; set; }

    /// <summary>The platform reported the payment failed; whatever is written must be reverted, nothing new written.</summary>
    public bool FailureReceived { get; set; }

    public string? FailureReason { get; set; }

    /// <summary>Whether the payment failed, was refunded or charged back, once <see cref="FailureReceived"/>.</summary>
    public PaymentReversalKind? ReversalKind { get; set; }

    /// <summary>What was being attempted when attention was needed: "write" or "reverse".</summary>
    public string? AttentionStage { get; set; }

    public string? ReasonCode { get; set; }

    public string? Reason { get; set; }

    /// <summary>Invoices the payment names that were not synced when the write was tried; empty unless waiting.</summary>
    public List<Guid> WaitingForInvoiceIds { get; set; } = [];

    /// <summary>When the payment started waiting for invoices (kept across re-checks; cleared by a person's retry).</summary>
    public DateTimeOffset? WaitingSince { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A copy to decide on: the decider never changes the state it was given.</summary>
    public PaymentReconciliation Copy()
    {
        var copy = (PaymentReconciliation)MemberwiseClone();
        copy.Allocations = [.. Allocations];
        copy.ExternalPaymentIds = [.. ExternalPaymentIds];
        copy.WaitingForInvoiceIds = [.. WaitingForInvoiceIds];
        return copy;
    }
}
