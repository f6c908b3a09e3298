namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// An event a payment's reconciliation cannot take in its state (see <see cref="ReconciliationVerdict.Unhandled"/>): the
/// message faults into the endpoint's error queue and the reconciliation is untouched.
/// </summary>
public sealed class UnhandledReconciliationEventException(string message, Guid meshPaymentId, string state)
    : Exception($"{message} cannot be taken by payment {meshPaymentId}'s reconciliation in state {state}.")
{
    public UnhandledReconciliationEventException()
        : this("An event", Guid.Empty, "(unknown)")
    {
    }
}
