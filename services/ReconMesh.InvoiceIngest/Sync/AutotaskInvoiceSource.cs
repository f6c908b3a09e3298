using System.Globalization;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.Integrations.Autotask;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// Autotask PSA's invoices, 500 a page by key (<c>id gt</c> the last id read; the position kept is one above it), with
/// their companies (by id) and the companies' active contacts, from which the billing contact is chosen
/// (<see cref="AutotaskInvoiceMapping.ToContact"/>). The initial sync reads the open invoices (not voided, no paid
/// date). Autotask has no invoice webhook and no last-modified time on invoices, so incremental reads ask for what it
/// can tell: invoices made since, voided since, or paid on or after the day (<see cref="AutotaskQueries.ChangedInvoices"/>);
/// the open invoices held are read again by id on the reconciliation schedule (<see cref="IInvoiceRecheck"/>), which
/// finds a paid date set to an earlier day. Every call counts against the connection's share of the database's hourly
/// budget (<see cref="AutotaskClientFactory.Limits"/>): a page costs an invoice query, a company query and a contact query.
/// </summary>
public sealed class AutotaskInvoiceSource(AutotaskClientFactory clients) : IInvoiceSource, IInvoiceRecheck
{
    public IntegrationKind Kind => IntegrationKind.AutotaskPsa;

    public Task<InvoicePage> ReadAllAsync(ConnectionSettings connection, int position, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync(connection, AutotaskQueries.OpenInvoices, position, now, cancellationToken);

    public Task<InvoicePage> ReadChangedAsync(ConnectionSettings connection, DateTimeOffset since, int position, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        ReadAsync(connection, after => AutotaskQueries.ChangedInvoices(since, after), position, now, cancellationToken);

    public async Task<InvoicePage> RecheckAsync(ConnectionSettings connection, IReadOnlyCollection<string> externalIds, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        var api = await clients.CreateAsync(connection, cancellationToken);
        var ids = externalIds.Select(e => long.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => AutotaskInvoiceMapping.ExternalId(id) is not null).Distinct().Order();
        var rows = new List<AutotaskInvoice>();
        foreach (var chunk in ids.Chunk(AutotaskQueries.IdsPerQuery))
        {
            await ReadPagesAsync(after => api.QueryInvoicesAsync(AutotaskQueries.InvoicesById(chunk, after), cancellationToken: cancellationToken),
                (AutotaskInvoice i) => i.Id, rows.AddRange);
        }

        return await PageAsync(api, connection, rows, isLast: true, nextPosition: 1, now, cancellationToken);
    }

    private async Task<InvoicePage> ReadAsync(ConnectionSettings connection, Func<long, AutotaskSearch> search, int position, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var api = await clients.CreateAsync(connection, cancellationToken);
        var answer = await AutotaskException.Call(() => api.QueryInvoicesAsync(search(Math.Max(0, position - 1L)), cancellationToken: cancellationToken));
        var rows = answer.Items ?? [];
        var last = rows.Select(r => AutotaskInvoiceMapping.ExternalId(r.Id) is null ? 0 : r.Id).DefaultIfEmpty(0).Max();
        var next = (int)Math.Max(position, last + 1);
        // A page that does not move past the position (an answer that ignored the filter) ends the read instead of repeating it.
        var isLast = answer.PageDetails?.NextPageUrl is null || rows.Count == 0 || next <= position;
        return await PageAsync(api, connection, rows, isLast, next, now, cancellationToken);
    }

    /// <summary>The page's snapshots, voided ids, rejections and billing contacts, its companies and contacts read by id.</summary>
    private static async Task<InvoicePage> PageAsync(IAutotaskApi api, ConnectionSettings connection, IReadOnlyList<AutotaskInvoice> rows, bool isLast,
        int nextPosition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var currency = AutotaskInvoiceMapping.Currency(connection);
        var taken = new List<AutotaskInvoice>(rows.Count);
        var rejected = new List<RejectedInvoice>();
        var voided = new List<string>();
        foreach (var row in rows)
        {
            if (AutotaskInvoiceMapping.IsVoided(row) && AutotaskInvoiceMapping.ExternalId(row.Id) is { } id)
            {
                voided.Add(id);
            }
            else if (AutotaskInvoiceMapping.Problem(row, currency) is { } problem)
            {
                rejected.Add(new RejectedInvoice(row.Id == 0 ? "(no id)" : row.Id.ToString(CultureInfo.InvariantCulture), problem));
            }
            else
            {
                taken.Add(row);
            }
        }

        var companyIds = taken.Select(r => r.CompanyId!.Value).Distinct().Order().ToList();
        var companies = new Dictionary<long, AutotaskCompany>();
        var contacts = new List<AutotaskContact>();
        foreach (var chunk in companyIds.Chunk(AutotaskQueries.IdsPerQuery))
        {
            var found = await AutotaskException.Call(() => api.QueryCompaniesAsync(AutotaskQueries.Companies(chunk), cancellationToken: cancellationToken));
            foreach (var company in (found.Items ?? []).Where(c => chunk.Contains(c.Id)))
            {
                companies[company.Id] = company;
            }

            await ReadPagesAsync(after => api.QueryContactsAsync(AutotaskQueries.ActiveContacts(chunk, after), cancellationToken: cancellationToken),
                (AutotaskContact c) => c.Id, contacts.AddRange);
        }

        var snapshots = taken.Select(r => AutotaskInvoiceMapping.ToSnapshot(connection, r, companies.GetValueOrDefault(r.CompanyId!.Value), now)).ToList();
        var byCompany = contacts.ToLookup(c => c.CompanyId ?? 0);
        List<BillingContactRecorded> billing = [.. companies.Values.Select(c => AutotaskInvoiceMapping.ToContact(connection, c, byCompany[c.Id], now))];
        var latest = rows.SelectMany(r => new[] { r.CreateDateTime, r.VoidedDate }).Max();
        return new InvoicePage(snapshots, rejected, billing, rows.Count, latest, nextPosition, isLast, Voided: voided);
    }

    /// <summary>Every page of a query read by key: the next starts after the last id of the one before, until Autotask says no page follows.</summary>
    private static async Task ReadPagesAsync<T>(Func<long, Task<AutotaskPage<T>>> query, Func<T, long> id, Action<IReadOnlyList<T>> take)
    {
        for (long after = 0; ;)
        {
            var page = await AutotaskException.Call(() => query(after));
            var items = page.Items ?? [];
            take(items);
            var last = items.Count == 0 ? after : items.Max(id);
            if (page.PageDetails?.NextPageUrl is null || last <= after)
            {
                return;
            }

            after = last;
        }
    }
}
