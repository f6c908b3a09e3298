using ReconMesh.Contracts;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.Integrations.Writeback;

/// <summary>
/// Finds an invoice in an accounting integration by its number, to pair it with the same invoice in a PSA (a PSA
/// paired with an accounting system: the PSA's invoices were posted to the accounting system under the same number).
/// </summary>
public interface IInvoiceDirectory
{
    IntegrationKind Kind { get; }

    Task<InvoiceMatch> FindByNumberAsync(ConnectionSettings connection, string number, CancellationToken cancellationToken);
}
