using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// An integration whose change feed does not report deletions: a deleted ConnectWise invoice simply stops being
/// listed, and the callback that says "deleted" is not retried if it is lost. The sync asks which of the invoices it
/// holds are gone: those a callback named at once, and every open one on a slower reconciliation schedule.
/// </summary>
public interface IDeletionCheck
{
    /// <summary>Which of <paramref name="externalIds"/> the integration no longer has.</summary>
    Task<IReadOnlyList<string>> GoneAsync(ConnectionSettings connection, IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken);
}
