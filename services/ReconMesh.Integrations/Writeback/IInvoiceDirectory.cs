using ReconMesh.Contracts;
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

public abstract record InvoiceMatch
{
    /// <summary>Exactly one invoice has the number.</summary>
    public sealed record Found(string ExternalId, string CustomerExternalId) : InvoiceMatch;

    /// <summary>No invoice has it (not posted yet, or numbered differently).</summary>
    public sealed record NotFound : InvoiceMatch;

    /// <summary>Several invoices have it: ReconMesh does not guess.</summary>
    public sealed record Ambiguous(IReadOnlyList<string> ExternalIds) : InvoiceMatch;
}
