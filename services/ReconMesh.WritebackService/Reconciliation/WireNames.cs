namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>The names on the wire (URN after <c>urn:message:</c>, and exchange) of the messages renamed in .NET.</summary>
public static class WireNames
{
    private const string Namespace = "ReconMesh.WritebackService.Reconciliation:";

    public const string ExceptionRetryRequested = Namespace + "RetryExceptionRequested";

    public const string ExceptionDismissed = Namespace + "DismissExceptionRequested";

    public const string WritebackAwaitingInvoices = Namespace + "AwaitInvoices";
}
