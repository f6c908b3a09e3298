using ReconMesh.Contracts;
using ReconMesh.Domain.Invoices;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.QuickBooks;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// Where one kind of integration's invoices come from, page by page, for <see cref="InvoiceSync"/>. A page position is
/// the source's own (QuickBooks: 1-based row position; ConnectWise: one above the last invoice id read), saved in the
/// <see cref="SyncCursor"/> with the page's events so a crash resumes after the last recorded page.
/// </summary>
public interface IInvoiceSource
{
    IntegrationKind Kind { get; }

    /// <summary>Every invoice in a stable order, from <paramref name="position"/>; the sync keeps the open ones it has not seen.</summary>
    Task<InvoicePage> ReadAllAsync(ConnectionSettings connection, int position, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The invoices changed at or after <paramref name="since"/>, from <paramref name="position"/>.</summary>
    Task<InvoicePage> ReadChangedAsync(ConnectionSettings connection, DateTimeOffset since, int position, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a full read that started at <paramref name="since"/> may have skipped invoices: with pages by position,
    /// an invoice deleted before the position being read moves every later one a place forward, so one is never on
    /// any page. False for a source that pages by key.
    /// </summary>
    Task<bool> MayHaveShiftedAsync(ConnectionSettings connection, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(false);
}

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

/// <param name="Invoices">The well-formed invoices of the page.</param>
/// <param name="Rejected">The malformed ones, with the reason.</param>
/// <param name="Contacts">The billing contacts of the page's customers.</param>
/// <param name="RowsRead">Invoices the integration answered with, rejected ones included.</param>
/// <param name="LatestUpdate">The latest change time among them.</param>
/// <param name="NextPosition">Where the next page starts.</param>
/// <param name="IsLast">No page follows this one.</param>
/// <param name="Deleted">Ids of invoices the integration reports deleted since the pass's start time, if it can tell.</param>
public sealed record InvoicePage(
    IReadOnlyList<InvoiceSnapshot> Invoices, IReadOnlyList<RejectedInvoice> Rejected, IReadOnlyList<BillingContactRecorded> Contacts,
    int RowsRead, DateTimeOffset? LatestUpdate, int NextPosition, bool IsLast, IReadOnlyList<string>? Deleted = null);

/// <summary>An invoice that cannot be taken in as it is, and why.</summary>
public sealed record RejectedInvoice(string ExternalId, string Reason);

/// <summary>
/// QuickBooks Online through <see cref="QuickBooksInvoiceReader"/>: query pages by position, 1000 rows each; deletions
/// from change data capture, and, since its answers stop at 1,000 objects, a check by id of every invoice held open
/// on the reconciliation schedule.
/// </summary>
public sealed class QuickBooksInvoiceSource(QuickBooksInvoiceReader reader) : IInvoiceSource, IDeletionCheck
{
    public IntegrationKind Kind => IntegrationKind.QuickBooksOnline;

    public Task<InvoicePage> ReadAllAsync(ConnectionSettings connection, int position, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync(connection, QuickBooksQuery.InvoicesById(position), position, now, cancellationToken);

    public async Task<InvoicePage> ReadChangedAsync(ConnectionSettings connection, DateTimeOffset since, int position, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var page = await ReadAsync(connection, QuickBooksQuery.InvoicesChangedSince(since, position), position, now, cancellationToken);
        // Deleted invoices no longer answer queries; change data capture reports them (once per pass, on its first page).
        return position == 1 ? page with { Deleted = (await reader.DeletedSinceAsync(connection, since, now, cancellationToken)).Deleted } : page;
    }

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
            page.RowsRead, page.LatestUpdate, position + page.RowsRead, page.RowsRead < QuickBooksQuery.MaxPageSize);
    }
}

/// <summary>The checks every invoice passes before it is taken in, whatever integration it comes from.</summary>
public static class InvoiceChecks
{
    /// <summary>More lines than any real invoice has; QuickBooks itself caps taxable invoices at 750.</summary>
    public const int MaxLines = 1000;

    /// <summary>
    /// Why an invoice cannot be taken in as it is, or null when it can. <paramref name="customerField"/> is the
    /// integration's name of the customer field, for the message.
    /// </summary>
    public static string? Problem(string? id, string? customerId, string customerField, decimal total, decimal balance, string currency, int lines,
        string? number = null)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return "the invoice has no Id";
        }

        if (string.IsNullOrWhiteSpace(customerId))
        {
            return $"the invoice has no customer ({customerField})";
        }

        // Ids name streams and go into queries and messages: a hostile one (a megabyte, control characters) stops here.
        var unbounded = IdBounds.ExternalIdProblem("the invoice id", id) ?? IdBounds.ExternalIdProblem($"the customer id ({customerField})", customerId)
            ?? (number is null ? null : IdBounds.ExternalIdProblem("the invoice number", number));
        if (unbounded is not null)
        {
            return unbounded;
        }

        if (total < 0m)
        {
            return $"the invoice total {total} is negative";
        }

        if (balance < 0m || balance > total)
        {
            return $"the balance {balance} is outside 0..{total}";
        }

        if (!Currencies.IsKnown(currency))
        {
            return $"the currency '{currency}' is not one ReconMesh knows";
        }

        if (!Currencies.FitsMinorUnits(total, currency) || !Currencies.FitsMinorUnits(balance, currency))
        {
            return $"amounts have more decimal places than {currency} allows";
        }

        if (lines > MaxLines)
        {
            return $"the invoice has {lines} lines, more than the {MaxLines} ReconMesh accepts";
        }

        return null;
    }
}
