using ReconMesh.Contracts;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.Xero;

/// <summary>
/// Xero's sales invoices by <c>InvoiceNumber</c> (<c>GET /Invoices?InvoiceNumbers=</c>), for a PSA paired with a Xero
/// organisation. Bills (ACCPAY) and voided or deleted invoices (nothing is owed on them) are left out; a draft is found,
/// and the write then says why it cannot be paid.
/// Xero keeps numbers unique within an organisation, so more than one is not expected; it is still refused, not guessed.
/// </summary>
public sealed class XeroInvoiceDirectory(XeroClientFactory clients) : IInvoiceDirectory
{
    public IntegrationKind Kind => IntegrationKind.Xero;

    public async Task<InvoiceMatch> FindByNumberAsync(ConnectionSettings connection, string number, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (number.Contains(',', StringComparison.Ordinal))
        {
            // InvoiceNumbers is a comma-separated list: such a number cannot be asked for alone.
            return new InvoiceMatch.NotFound();
        }

        var found = (await clients.Create(connection).InvoicesByNumberAsync(number, cancellationToken: cancellationToken)).Invoices ?? [];
        var live = found.Where(i => i.Type == "ACCREC" && i.Status is not ("VOIDED" or "DELETED")
            && string.Equals(i.InvoiceNumber, number, StringComparison.Ordinal)).ToList();
        return InvoiceMatch.Of(live, i => i.InvoiceId, i => i.Contact?.ContactId);
    }
}
