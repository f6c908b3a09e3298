using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>QuickBooks invoices by <c>DocNumber</c> (deleted ones are not returned; voided ones, with nothing owed, are left out).</summary>
public sealed class QuickBooksInvoiceDirectory(QuickBooksClientFactory clients) : IInvoiceDirectory
{
    public IntegrationKind Kind => IntegrationKind.QuickBooksOnline;

    public async Task<InvoiceMatch> FindByNumberAsync(ConnectionSettings connection, string number, CancellationToken cancellationToken)
    {
        var api = clients.Create(connection);
        var found = (await api.QueryAsync(connection.RealmId!, $"select * from Invoice where DocNumber = {QuickBooksQuery.Quote(number)}", cancellationToken))
            .QueryResponse?.Invoice ?? [];
        var live = found.Where(i => !QuickBooksWriteRules.IsVoided(i)).ToList();
        return InvoiceMatch.Of(live, i => i.Id, i => i.CustomerRef?.Value);
    }
}
