using ReconMesh.Contracts;
using ReconMesh.Domain.Invoices;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Xero;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// Xero's receivables, page by page (100 each; the position is the page number). The initial sync reads the open ones
/// (AUTHORISED) in InvoiceID order, which no payment changes; an invoice that leaves AUTHORISED meanwhile moves later
/// pages forward, which <see cref="MayHaveShiftedAsync"/> finds. Incremental reads ask for what changed since
/// (<c>If-Modified-Since</c>) in any status but draft: paid invoices are taken in as such, voided and deleted ones
/// archived (<see cref="XeroInvoiceMapping"/>). Each page's contacts are read by id for their billing email.
/// </summary>
public sealed class XeroInvoiceSource(XeroClientFactory clients) : IInvoiceSource
{
    public IntegrationKind Kind => IntegrationKind.Xero;

    public Task<InvoicePage> ReadAllAsync(ConnectionSettings connection, int position, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync(connection, api => api.InvoicesAsync(XeroQuery.OpenReceivables, null, XeroQuery.StableOrder, position, null, cancellationToken),
            position, now, cancellationToken);

    public Task<InvoicePage> ReadChangedAsync(ConnectionSettings connection, DateTimeOffset since, int position, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        ReadAsync(connection, api => api.InvoicesAsync(XeroQuery.Receivables, XeroQuery.SyncedStatuses, null, position, XeroQuery.ModifiedSince(since),
            cancellationToken), position, now, cancellationToken);

    /// <summary>An open invoice paid, voided or deleted since the full read started may have moved a later one onto a page already read.</summary>
    public async Task<bool> MayHaveShiftedAsync(ConnectionSettings connection, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var api = clients.Create(connection);
        var left = await Call(() => api.InvoicesAsync(XeroQuery.ClosedReceivables, null, null, 1, XeroQuery.ModifiedSince(since), cancellationToken));
        return left.Invoices is { Count: > 0 };
    }

    private async Task<InvoicePage> ReadAsync(ConnectionSettings connection, Func<IXeroApi, Task<XeroInvoicesEnvelope>> read, int position,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var api = clients.Create(connection);
        var rows = (await Call(() => read(api))).Invoices ?? [];
        var snapshots = new List<InvoiceSnapshot>(rows.Count);
        var rejected = new List<RejectedInvoice>();
        var (deleted, voided) = (new List<string>(), new List<string>());
        foreach (var row in rows)
        {
            if (XeroInvoiceMapping.IsFinal(row) && IdBounds.IsExternalId(row.InvoiceId))
            {
                (row.Status == XeroInvoiceMapping.Voided ? voided : deleted).Add(row.InvoiceId);
            }
            else if (!XeroInvoiceMapping.IsHeld(row))
            {
                continue;
            }
            else if (XeroInvoiceMapping.Problem(row) is { } problem)
            {
                rejected.Add(new RejectedInvoice(string.IsNullOrEmpty(row.InvoiceId) ? "(no id)" : IdBounds.IsExternalId(row.InvoiceId) ? row.InvoiceId : IdBounds.Shown(row.InvoiceId), problem));
            }
            else
            {
                snapshots.Add(XeroInvoiceMapping.ToSnapshot(connection, row, now));
            }
        }

        // Only ids within bounds that are GUIDs are asked about: a hostile one is its invoice's problem, never a query's.
        var contactIds = snapshots.Select(s => s.CustomerExternalId).Where(id => Guid.TryParse(id, out _)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var contacts = contactIds.Count == 0 ? [] : (await Call(() => api.ContactsAsync(string.Join(',', contactIds), cancellationToken))).Contacts ?? [];
        return new InvoicePage(snapshots, rejected, [.. contacts.Where(c => IdBounds.IsExternalId(c.ContactId)).Select(c => XeroInvoiceMapping.ToContact(connection, c, now))],
            rows.Count, rows.Select(r => r.UpdatedDateUtc).Max(), position + 1, rows.Count < XeroQuery.PageSize, deleted, voided);
    }

    /// <summary>A call's answer, which must be there: an empty 200 answer is as unusable as a malformed one, and is said so.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call) =>
        await call() ?? throw new XeroException(System.Net.HttpStatusCode.OK, null, "Xero answered HTTP 200 with an empty body where JSON was expected");
}
