using ReconMesh.Contracts;
using ReconMesh.Domain.Invoices;
using ReconMesh.Integrations.Connections;

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

/// <param name="Invoices">The well-formed invoices of the page.</param>
/// <param name="Rejected">The malformed ones, with the reason.</param>
/// <param name="Contacts">The billing contacts of the page's customers.</param>
/// <param name="RowsRead">Invoices the integration answered with, rejected ones included.</param>
/// <param name="LatestUpdate">The latest change time among them.</param>
/// <param name="NextPosition">Where the next page starts.</param>
/// <param name="IsLast">No page follows this one.</param>
/// <param name="Deleted">Ids of invoices the integration reports deleted since the pass's start time, if it can tell.</param>
/// <param name="Voided">Ids of invoices the integration reports voided for good (Xero's VOIDED): archived like deleted ones.</param>
/// <param name="AnsweredAt">When the integration answered, on its own clock, if it says (QuickBooks' <c>time</c>).</param>
public sealed record InvoicePage(
    IReadOnlyList<InvoiceSnapshot> Invoices, IReadOnlyList<RejectedInvoice> Rejected, IReadOnlyList<BillingContactRecorded> Contacts,
    int RowsRead, DateTimeOffset? LatestUpdate, int NextPosition, bool IsLast, IReadOnlyList<string>? Deleted = null,
    IReadOnlyList<string>? Voided = null, DateTimeOffset? AnsweredAt = null);

/// <summary>An invoice that cannot be taken in as it is, and why.</summary>
public sealed record RejectedInvoice(string ExternalId, string Reason);
