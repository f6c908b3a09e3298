namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>How the reconciliation took an event.</summary>
public enum ReconciliationVerdict
{
    /// <summary>The event moved the reconciliation (or re-issued its command): store <see cref="ReconciliationDecision.Next"/>, send the commands.</summary>
    Handled,

    /// <summary>Expected in this state and of no consequence (a duplicate, a late echo).</summary>
    Ignored,

    /// <summary>Cannot happen in this state: the message is faulted into the error queue, the reconciliation untouched.</summary>
    Unhandled,

    /// <summary>There is no reconciliation for the payment and this event does not start one: dropped.</summary>
    Dropped,
}

/// <summary>
/// What <see cref="PaymentReconciliationDecider"/> decided: the verdict, the reconciliation to store (null when it did not
/// change) and the commands to send once it is stored.
/// </summary>
public sealed record ReconciliationDecision(ReconciliationVerdict Verdict, PaymentReconciliation? Next, IReadOnlyList<object> Commands)
{
    public static readonly ReconciliationDecision Ignored = new(ReconciliationVerdict.Ignored, null, []);

    public static readonly ReconciliationDecision Unhandled = new(ReconciliationVerdict.Unhandled, null, []);

    public static readonly ReconciliationDecision Dropped = new(ReconciliationVerdict.Dropped, null, []);

    /// <summary>The commands, with no change to store.</summary>
    public static ReconciliationDecision Send(params object[] commands) => new(ReconciliationVerdict.Handled, null, commands);
}
