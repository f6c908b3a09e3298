using Refit;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.QuickBooks;
using ReconMesh.ServiceDefaults.Identity;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>Reads pages of invoices and their customers from QuickBooks Online and turns them into snapshots.</summary>
public sealed class QuickBooksInvoiceReader(QuickBooksClientFactory clients)
{
    public sealed record Page(IReadOnlyList<InvoiceSnapshot> Invoices, IReadOnlyList<BillingContactRecorded> Contacts, int RowsRead, DateTimeOffset? LatestUpdate);

    public async Task<Page> ReadAsync(ConnectionSettings connection, string query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var api = clients.Create(connection);
        var realm = connection.RealmId!;
        var response = await Call(() => api.QueryAsync(realm, query, cancellationToken));
        var rows = response.QueryResponse?.Invoice ?? [];

        var customerIds = rows.Select(r => r.CustomerRef?.Value).OfType<string>().Distinct().ToList();
        var customers = customerIds.Count == 0
            ? []
            : (await Call(() => api.QueryAsync(realm, QuickBooksQuery.CustomersById(customerIds), cancellationToken))).QueryResponse?.Customer ?? [];

        var snapshots = rows.Select(r => ToSnapshot(connection, r)).OfType<InvoiceSnapshot>().ToList();
        var contacts = customers.Select(c => ToContact(connection, c, now)).ToList();
        var latest = rows.Select(r => r.MetaData?.LastUpdatedTime).Max();
        return new Page(snapshots, contacts, rows.Count, latest);
    }

    private static InvoiceSnapshot? ToSnapshot(ConnectionSettings connection, QboInvoice invoice)
    {
        if (invoice.CustomerRef is null || string.IsNullOrEmpty(invoice.Id))
        {
            return null;
        }

        var lines = (invoice.Line ?? [])
            .Where(l => l.DetailType == "SalesItemLineDetail")
            .Select(l => new InvoiceLine(l.Description ?? l.SalesItemLineDetail?.ItemRef?.Name ?? "", l.Amount))
            .ToList();
        return new InvoiceSnapshot(
            MeshIds.Invoice(connection.Id, invoice.Id), connection.TenantId, connection.Id, IntegrationKind.QuickBooksOnline,
            invoice.Id, invoice.DocNumber ?? invoice.Id, invoice.CustomerRef.Value, invoice.CustomerRef.Name ?? "",
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

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ApiException ex)
        {
            throw QuickBooksException.From(ex);
        }
    }
}
