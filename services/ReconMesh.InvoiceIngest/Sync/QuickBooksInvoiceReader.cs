using System.Globalization;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts;
using ReconMesh.Domain.Invoices;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.QuickBooks;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>Reads pages of invoices and their customers from QuickBooks Online and turns them into snapshots.</summary>
public sealed class QuickBooksInvoiceReader(QuickBooksClientFactory clients)
{
    /// <summary>More lines than any real invoice has; QuickBooks itself caps taxable invoices at 750.</summary>
    public const int MaxLines = InvoiceChecks.MaxLines;

    public sealed record Rejected(string ExternalId, string Reason);

    public sealed record Page(
        IReadOnlyList<InvoiceSnapshot> Invoices, IReadOnlyList<Rejected> Rejected, IReadOnlyList<BillingContactRecorded> Contacts,
        int RowsRead, DateTimeOffset? LatestUpdate, DateTimeOffset? AnsweredAt);

    public async Task<Page> ReadAsync(ConnectionSettings connection, string query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var api = clients.Create(connection);
        var realm = connection.RealmId!;
        var response = await Call(() => api.QueryAsync(realm, query, cancellationToken));
        var rows = response.QueryResponse?.Invoice ?? [];

        // Only ids within bounds are asked about: a hostile one is the invoice's problem (below), never a query's.
        var customerIds = rows.Select(r => r.CustomerRef?.Value).Where(IdBounds.IsExternalId).OfType<string>().Distinct().ToList();
        var customers = await ByIdsAsync(customerIds, chunk => api.QueryAsync(realm, QuickBooksQuery.CustomersById(chunk), cancellationToken),
            answer => answer.Customer);

        var snapshots = new List<InvoiceSnapshot>(rows.Count);
        var rejected = new List<Rejected>();
        foreach (var row in rows)
        {
            var problem = Problem(row);
            if (problem is null)
            {
                snapshots.Add(ToSnapshot(connection, row));
            }
            else
            {
                rejected.Add(new Rejected(string.IsNullOrEmpty(row.Id) ? "(no id)" : IdBounds.IsExternalId(row.Id) ? row.Id : IdBounds.Shown(row.Id), problem));
            }
        }

        var contacts = customers.Where(c => IdBounds.IsExternalId(c.Id)).Select(c => ToContact(connection, c, now)).ToList();
        var latest = rows.Select(r => r.MetaData?.LastUpdatedTime).Max();
        return new Page(snapshots, rejected, contacts, rows.Count, latest, AnsweredAt(response.Time));
    }

    /// <summary>QuickBooks' own time of an answer, or null when it sent none or one that is not a time (a longer value is not read).</summary>
    public static DateTimeOffset? AnsweredAt(string? time) =>
        time is { Length: <= 40 } && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;

    /// <summary>Why an invoice cannot be taken in as it is, or null when it can.</summary>
    public static string? Problem(QboInvoice invoice) =>
        InvoiceChecks.Problem(invoice.Id, invoice.CustomerRef?.Value, "CustomerRef", invoice.TotalAmt, invoice.Balance,
            invoice.CurrencyRef?.Value ?? "USD", invoice.Line?.Count ?? 0, invoice.DocNumber);

    private static InvoiceSnapshot ToSnapshot(ConnectionSettings connection, QboInvoice invoice)
    {
        var customer = invoice.CustomerRef!;

        var lines = (invoice.Line ?? [])
            .Where(l => l.DetailType == "SalesItemLineDetail")
            .Select(l => new InvoiceLine(l.Description ?? l.SalesItemLineDetail?.ItemRef?.Name ?? "", l.Amount))
            .ToList();
        return new InvoiceSnapshot(
            MeshIds.Invoice(connection.Id, invoice.Id), connection.TenantId, connection.Id, IntegrationKind.QuickBooksOnline,
            invoice.Id, invoice.DocNumber ?? invoice.Id, customer.Value, customer.Name ?? "",
            invoice.CurrencyRef?.Value ?? "USD", invoice.TotalAmt, invoice.Balance,
            invoice.TxnDate ?? DateOnly.FromDateTime(invoice.MetaData?.CreateTime.UtcDateTime ?? DateTime.UtcNow), invoice.DueDate, lines);
    }

    private static BillingContactRecorded ToContact(ConnectionSettings connection, QboCustomer customer, DateTimeOffset now)
    {
        var person = string.Join(' ', new[] { customer.GivenName, customer.FamilyName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return new BillingContactRecorded(connection.TenantId, connection.Id, IntegrationKind.QuickBooksOnline, customer.Id,
            customer.DisplayName ?? customer.CompanyName ?? customer.Id, person.Length == 0 ? null : person,
            customer.PrimaryEmailAddr?.Address, customer.PrimaryPhone?.FreeFormNumber, now);
    }

    /// <summary>QuickBooks keeps change data capture for 30 days; older changes need a full read.</summary>
    public static readonly TimeSpan CdcLookBack = TimeSpan.FromDays(29);

    /// <summary>Change data capture answers at most this many objects; a full answer may leave out some changes.</summary>
    public const int CdcMaxObjects = 1000;

    /// <param name="Deleted">Ids of the invoices reported deleted.</param>
    /// <param name="Complete">False when the answer was full (1,000 objects): deletions beyond it were not reported.</param>
    public sealed record Deletions(IReadOnlyList<string> Deleted, bool Complete);

    /// <summary>Ids of invoices deleted in QuickBooks since <paramref name="since"/>, from change data capture.</summary>
    public async Task<Deletions> DeletedSinceAsync(ConnectionSettings connection, DateTimeOffset since, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (now - since > CdcLookBack)
        {
            return new Deletions([], Complete: false);
        }

        var api = clients.Create(connection);
        var cdc = await Call(() => api.ChangeDataCaptureAsync(connection.RealmId!, "Invoice", QuickBooksQuery.Timestamp(since), cancellationToken));
        var rows = (cdc.CDCResponse ?? []).SelectMany(r => r.QueryResponse ?? []).SelectMany(q => q.Invoice ?? []).ToList();
        return new Deletions([.. rows.Where(i => string.Equals(i.Status, "Deleted", StringComparison.OrdinalIgnoreCase) && IdBounds.IsExternalId(i.Id)).Select(i => i.Id)],
            Complete: rows.Count < CdcMaxObjects);
    }

    /// <summary>Which of <paramref name="externalIds"/> QuickBooks no longer has (a query by id returns only those that exist).</summary>
    public async Task<IReadOnlyList<string>> GoneAsync(ConnectionSettings connection, IReadOnlyCollection<string> externalIds,
        CancellationToken cancellationToken)
    {
        var api = clients.Create(connection);
        var ids = externalIds.Distinct(StringComparer.Ordinal).ToList();
        var present = (await ByIdsAsync(ids, chunk => api.QueryAsync(connection.RealmId!, QuickBooksQuery.InvoicesWithIds(chunk), cancellationToken),
            answer => answer.Invoice)).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        return [.. ids.Where(id => !present.Contains(id))];
    }

    /// <summary>The rows a query by id answers for <paramref name="ids"/>, asked <see cref="QuickBooksQuery.MaxIdsPerQuery"/> at a time.</summary>
    private static async Task<List<T>> ByIdsAsync<T>(IReadOnlyList<string> ids, Func<string[], Task<QboQueryEnvelope>> query,
        Func<QboQueryResponse, IReadOnlyList<T>?> rows)
    {
        var found = new List<T>();
        foreach (var chunk in ids.Chunk(QuickBooksQuery.MaxIdsPerQuery))
        {
            found.AddRange((await Call(() => query(chunk))).QueryResponse is { } answer ? rows(answer) ?? [] : []);
        }

        return found;
    }

    /// <summary>
    /// A call's answer, which must be there: an empty 200 answer deserializes to nothing, as unusable as a malformed
    /// one, and is said so. (Fault answers are already <see cref="QuickBooksException"/>s, translated by the client.)
    /// </summary>
    private static async Task<T> Call<T>(Func<Task<T>> call) =>
        await call() ?? throw new QuickBooksException(System.Net.HttpStatusCode.OK, null,
            "QuickBooks answered HTTP 200 with an empty body where JSON was expected");
}
