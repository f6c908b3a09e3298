using System.Globalization;
using ReconMesh.Contracts;
using ReconMesh.Domain.Invoices;
using ReconMesh.Integrations.ConnectWise;
using ReconMesh.Integrations.Connections;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// Reads pages of invoices and their companies' billing contacts from ConnectWise PSA and turns them into snapshots.
/// Pages are forward-only (<c>pageId</c>: <c>id &gt; pageId</c> in id order, 1000 rows): an invoice paid or edited
/// mid-sync cannot shift later pages and make the sync skip one, as filtering by <c>balance &gt; 0</c> in the query would.
/// The position kept in the cursor is one above the last invoice id read. Deletions are found by asking which ids
/// still exist (<see cref="IDeletionCheck"/>).
/// </summary>
public sealed class ConnectWiseInvoiceReader(ConnectWiseClientFactory clients) : IInvoiceSource, IDeletionCheck
{
    private const int CompaniesPerContactQuery = 100;

    /// <summary>Ids per existence query: <c>id in (…)</c> of 500 ids keeps the URL near 3.5 KB, under common 8 KB limits.</summary>
    private const int IdsPerExistenceQuery = 500;

    public IntegrationKind Kind => IntegrationKind.ConnectWisePsa;

    public Task<InvoicePage> ReadAllAsync(ConnectionSettings connection, int position, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync(connection, conditions: null, position, now, cancellationToken);

    public Task<InvoicePage> ReadChangedAsync(ConnectionSettings connection, DateTimeOffset since, int position, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync(connection, ConnectWiseConditions.ChangedSince(since), position, now, cancellationToken);

    private async Task<InvoicePage> ReadAsync(ConnectionSettings connection, string? conditions, int position, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var api = clients.Create(connection);
        var rows = await ConnectWiseException.Call(() =>
            api.ListInvoicesAfterAsync(conditions, Math.Max(0, position - 1), ConnectWiseConditions.MaxPageSize, cancellationToken));

        var snapshots = new List<InvoiceSnapshot>(rows.Count);
        var rejected = new List<RejectedInvoice>();
        foreach (var row in rows)
        {
            var problem = Problem(row);
            if (problem is null)
            {
                snapshots.Add(ToSnapshot(connection, row));
            }
            else
            {
                rejected.Add(new RejectedInvoice(row.Id > 0 ? Id(row.Id) : "(no id)", problem));
            }
        }

        var customers = snapshots.GroupBy(s => s.CustomerExternalId).ToDictionary(g => g.Key, g => g.First().CustomerName);
        var contacts = await ContactsAsync(api, connection, customers, now, cancellationToken);
        var next = rows.Count == 0 ? position : rows.Max(r => r.Id) + 1;
        return new InvoicePage(snapshots, rejected, contacts, rows.Count, rows.Select(r => r.Info?.LastUpdated).Max(), next,
            rows.Count < ConnectWiseConditions.MaxPageSize);
    }

    /// <summary>One <c>conditions=id in (…)&amp;fields=id</c> query per 500 ids: an id not answered is a deleted invoice.</summary>
    public async Task<IReadOnlyList<string>> GoneAsync(ConnectionSettings connection, IReadOnlyCollection<string> externalIds,
        CancellationToken cancellationToken)
    {
        var api = clients.Create(connection);
        var gone = new List<string>();
        var ids = externalIds.Select(e => int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).Distinct();
        foreach (var chunk in ids.Chunk(IdsPerExistenceQuery))
        {
            var rows = await ConnectWiseException.Call(() =>
                api.ListInvoiceFieldsAsync(ConnectWiseConditions.In("id", chunk), "id", "id", ConnectWiseConditions.MaxPageSize, cancellationToken));
            var present = rows.Select(r => r.Id).ToHashSet();
            gone.AddRange(chunk.Where(id => !present.Contains(id)).Select(Id));
        }

        return gone;
    }

    /// <summary>Why an invoice cannot be taken in as it is, or null when it can (the checks every integration's invoices pass).</summary>
    public static string? Problem(ConnectWiseInvoice invoice) =>
        invoice.Total is null
            ? "the invoice has no total"
            : InvoiceChecks.Problem(invoice.Id > 0 ? Id(invoice.Id) : null, invoice.Customer?.Id is { } c ? Id(c) : null, "company",
                invoice.Total.Value, Balance(invoice), Currency(invoice), lines: 0, invoice.InvoiceNumber);

    private static InvoiceSnapshot ToSnapshot(ConnectionSettings connection, ConnectWiseInvoice invoice)
    {
        var customer = invoice.Customer!;
        var id = Id(invoice.Id);
        var issued = invoice.Date ?? invoice.Info?.DateEntered ?? DateTimeOffset.UtcNow;

        // ConnectWise's Invoice carries totals, not lines (they live in agreements, time and products): the snapshot has none.
        return new InvoiceSnapshot(
            MeshIds.Invoice(connection.Id, id), connection.TenantId, connection.Id, IntegrationKind.ConnectWisePsa,
            id, invoice.InvoiceNumber ?? id, Id(customer.Id!.Value), customer.Name ?? customer.Identifier ?? "",
            Currency(invoice), invoice.Total!.Value, Balance(invoice),
            DateOnly.FromDateTime(issued.UtcDateTime), invoice.DueDate is { } due ? DateOnly.FromDateTime(due.UtcDateTime) : null, []);
    }

    private static decimal Balance(ConnectWiseInvoice invoice) =>
        invoice.Balance ?? (invoice.Total ?? 0m) - (invoice.Payments ?? 0m) - (invoice.Credits ?? 0m);

    private static string Currency(ConnectWiseInvoice invoice) => invoice.Currency?.CurrencyCode ?? "USD";

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Each company's billing contact: the active contact with <c>defaultBillingFlag</c>, else its default contact;
    /// the e-mail is the contact's (default) Email communication item.
    /// </summary>
    private static async Task<List<BillingContactRecorded>> ContactsAsync(IConnectWiseApi api, ConnectionSettings connection,
        Dictionary<string, string> customers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = new List<ConnectWiseContact>();
        foreach (var chunk in customers.Keys.Select(k => int.Parse(k, CultureInfo.InvariantCulture)).Chunk(CompaniesPerContactQuery))
        {
            var conditions = $"{ConnectWiseConditions.In("company/id", chunk)} and inactiveFlag = false and (defaultBillingFlag = true or defaultFlag = true)";
            for (var page = 1; ; page++)
            {
                var rows = await ConnectWiseException.Call(() => api.ListContactsAsync(conditions, page, ConnectWiseConditions.MaxPageSize, cancellationToken));
                found.AddRange(rows);
                if (rows.Count < ConnectWiseConditions.MaxPageSize)
                {
                    break;
                }
            }
        }

        var byCompany = found.Where(c => c.Company?.Id is not null).ToLookup(c => Id(c.Company!.Id!.Value));
        return [.. customers.Select(customer =>
        {
            var contact = byCompany[customer.Key].OrderByDescending(c => c.DefaultBillingFlag == true).ThenByDescending(c => c.DefaultFlag == true)
                .ThenBy(c => c.Id).FirstOrDefault();
            var person = contact is null
                ? null
                : string.Join(' ', new[] { contact.FirstName, contact.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
            return new BillingContactRecorded(connection.TenantId, connection.Id, IntegrationKind.ConnectWisePsa, customer.Key, customer.Value,
                string.IsNullOrEmpty(person) ? null : person, Item(contact, "Email"), Item(contact, "Phone") ?? contact?.DefaultPhoneNbr, now);
        })];
    }

    private static string? Item(ConnectWiseContact? contact, string type) =>
        contact?.CommunicationItems?
            .Where(i => string.Equals(i.CommunicationType, type, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(i.Value))
            .OrderByDescending(i => i.DefaultFlag == true)
            .Select(i => i.Value)
            .FirstOrDefault();
}
