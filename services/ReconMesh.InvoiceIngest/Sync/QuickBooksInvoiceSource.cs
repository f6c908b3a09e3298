using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.QuickBooks;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// QuickBooks Online through <see cref="QuickBooksInvoiceReader"/>: query pages by position, 1000 rows each; deletions
/// from change data capture, and, since its answers stop at 1,000 objects, a check by id of every invoice held open
/// on the reconciliation schedule. Its answers carry QuickBooks' own time, and its change query takes both bounds, so
/// incremental passes read from just before the last answer and settle older stretches once (<see cref="IBoundedChangeReads"/>).
/// </summary>
public sealed class QuickBooksInvoiceSource(QuickBooksInvoiceReader reader) : IInvoiceSource, IDeletionCheck, IBoundedChangeReads
{
    public IntegrationKind Kind => IntegrationKind.QuickBooksOnline;

    public Task<InvoicePage> ReadAllAsync(ConnectionSettings connection, int position, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync(connection, QuickBooksQuery.InvoicesById(position), position, now, cancellationToken);

    public Task<InvoicePage> ReadChangedAsync(ConnectionSettings connection, DateTimeOffset since, int position, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        ReadChangedAsync(connection, since, since, position, now, cancellationToken);

    public async Task<InvoicePage> ReadChangedAsync(ConnectionSettings connection, DateTimeOffset since, DateTimeOffset deletedSince, int position,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var page = await ReadAsync(connection, QuickBooksQuery.InvoicesChangedSince(since, position), position, now, cancellationToken);
        // Deleted invoices no longer answer queries; change data capture reports them (once per pass, on its first page).
        return position == 1
            ? page with { Deleted = (await reader.DeletedSinceAsync(connection, deletedSince, now, cancellationToken)).Deleted }
            : page;
    }

    public Task<InvoicePage> ReadChangedBetweenAsync(ConnectionSettings connection, DateTimeOffset since, DateTimeOffset until, int position,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync(connection, QuickBooksQuery.InvoicesChangedBetween(since, until, position), position, now, cancellationToken);

    public Task<IReadOnlyList<string>> GoneAsync(ConnectionSettings connection, IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken) =>
        reader.GoneAsync(connection, externalIds, cancellationToken);

    /// <summary>
    /// QuickBooks pages by position: any invoice deleted since the read started may have shifted them. Change data
    /// capture says, unless its answer was full (more than 1,000 changes meanwhile): then it cannot tell, so yes.
    /// </summary>
    public async Task<bool> MayHaveShiftedAsync(ConnectionSettings connection, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken) =>
        await reader.DeletedSinceAsync(connection, since, now, cancellationToken) is not { Deleted.Count: 0, Complete: true };

    private async Task<InvoicePage> ReadAsync(ConnectionSettings connection, string query, int position, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var page = await reader.ReadAsync(connection, query, now, cancellationToken);
        return new InvoicePage(page.Invoices, [.. page.Rejected.Select(r => new RejectedInvoice(r.ExternalId, r.Reason))], page.Contacts,
            page.RowsRead, page.LatestUpdate, position + page.RowsRead, page.RowsRead < QuickBooksQuery.MaxPageSize, AnsweredAt: page.AnsweredAt);
    }
}
