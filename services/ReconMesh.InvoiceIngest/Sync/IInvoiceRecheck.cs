using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// An integration whose change feed cannot show every change to an invoice (Autotask keeps no last-modified time on
/// invoices: a paid date set to an earlier day is in no "since" query). On the reconciliation schedule the sync asks
/// for the invoices it holds open as they stand now, and takes them in like any page: paid ones owe nothing, voided
/// ones are archived.
/// </summary>
public interface IInvoiceRecheck
{
    /// <summary>The current state of <paramref name="externalIds"/>; an id the integration no longer answers for is left out.</summary>
    Task<InvoicePage> RecheckAsync(ConnectionSettings connection, IReadOnlyCollection<string> externalIds, DateTimeOffset now,
        CancellationToken cancellationToken);
}
