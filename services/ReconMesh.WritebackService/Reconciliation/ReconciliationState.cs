namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>The states of a payment's reconciliation (<see cref="PaymentReconciliation.CurrentState"/>), as stored.</summary>
public static class ReconciliationState
{
    /// <summary>The platform reported the payment failed before the mesh accepted it.</summary>
    public const string FailedBeforeAcceptance = nameof(FailedBeforeAcceptance);

    /// <summary>The write to the integration is asked for (or under way).</summary>
    public const string WritingBack = nameof(WritingBack);

    /// <summary>The payment names invoices the mesh has not synced yet.</summary>
    public const string WaitingForInvoice = nameof(WaitingForInvoice);

    /// <summary>Written back: the books show the payment.</summary>
    public const string Applied = nameof(Applied);

    /// <summary>A person must act: the reason says why (<see cref="PaymentReconciliation.AttentionStage"/> says at which step).</summary>
    public const string NeedsAttention = nameof(NeedsAttention);

    /// <summary>The payment failed after it was written: what was booked is being reverted.</summary>
    public const string Reversing = nameof(Reversing);

    /// <summary>What was booked has been reverted.</summary>
    public const string Reversed = nameof(Reversed);

    /// <summary>The payment failed before anything was booked: nothing will be.</summary>
    public const string Cancelled = nameof(Cancelled);

    /// <summary>A person dismissed the exception.</summary>
    public const string DismissedByPerson = nameof(DismissedByPerson);
}
