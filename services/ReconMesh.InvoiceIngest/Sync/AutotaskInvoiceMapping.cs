using System.Globalization;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.Integrations.Autotask;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// How an Autotask invoice, company and contacts become ReconMesh's snapshot and billing contact. Autotask keeps no
/// amount paid: an invoice without a <c>paidDate</c> owes its <c>invoiceTotal</c>, one with a paid date owes nothing
/// (clearing the date opens it again, so a paid invoice is not archived); a voided one (<c>isVoided</c>) can never
/// change again and is archived. Without the multi-currency module invoices carry no currency: the connection's is
/// used (USD unless set). Autotask's invoices have no lines over the API (they are BillingItems), so snapshots have none.
/// </summary>
public static class AutotaskInvoiceMapping
{
    /// <summary>The currency of a connection whose invoices say none.</summary>
    public const string DefaultCurrency = "USD";

    /// <summary>A company name longer than Autotask allows (255) is not a name: the company is shown by its id instead.</summary>
    private const int MaxNameLength = 255;

    public static string Currency(ConnectionSettings connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return string.IsNullOrWhiteSpace(connection.Currency) ? DefaultCurrency : connection.Currency;
    }

    /// <summary>The id as ReconMesh keeps it, if it is one ReconMesh can page by (1 to 2³¹-2, as Autotask's are).</summary>
    public static string? ExternalId(long id) => id is > 0 and < int.MaxValue ? id.ToString(CultureInfo.InvariantCulture) : null;

    public static bool IsVoided(AutotaskInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return invoice.IsVoided == true;
    }

    /// <summary>Why an invoice cannot be taken in as it is, or null when it can.</summary>
    public static string? Problem(AutotaskInvoice invoice, string currency)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        if (invoice.Id != 0 && ExternalId(invoice.Id) is null)
        {
            return $"the invoice id {invoice.Id.ToString(CultureInfo.InvariantCulture)} is outside 1..{int.MaxValue - 1}";
        }

        if (invoice.InvoiceTotal is not { } total)
        {
            return "the invoice has no invoiceTotal";
        }

        var company = invoice.CompanyId is { } c && c > 0 ? c.ToString(CultureInfo.InvariantCulture) : null;
        return InvoiceChecks.Problem(ExternalId(invoice.Id), company, "companyID", total, Balance(invoice), currency, lines: 0, invoice.InvoiceNumber);
    }

    /// <summary>The snapshot of an invoice that passed <see cref="Problem"/>; <paramref name="company"/> names its customer when it was found.</summary>
    public static InvoiceSnapshot ToSnapshot(ConnectionSettings connection, AutotaskInvoice invoice, AutotaskCompany? company, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(invoice);
        var id = ExternalId(invoice.Id)!;
        var customer = invoice.CompanyId!.Value.ToString(CultureInfo.InvariantCulture);
        return new InvoiceSnapshot(
            MeshIds.Invoice(connection.Id, id), connection.TenantId, connection.Id, IntegrationKind.AutotaskPsa,
            id, string.IsNullOrEmpty(invoice.InvoiceNumber) ? id : invoice.InvoiceNumber, customer, Name(company) ?? customer,
            Currency(connection), invoice.InvoiceTotal!.Value, Balance(invoice),
            DateOnly.FromDateTime((invoice.InvoiceDateTime ?? invoice.CreateDateTime ?? now).UtcDateTime),
            invoice.DueDate is { } due ? DateOnly.FromDateTime(due.UtcDateTime) : null, []);
    }

    /// <summary>
    /// The company's billing contact, among its active contacts: the one its invoices are addressed to (the company's
    /// <c>billToAttention</c>, the name Autotask prints on the bill-to address), else its primary contact, else none;
    /// one with an e-mail address before one without. Autotask has no billing flag on contacts (a contract's bill-to
    /// contact is per contract, not per invoice); the bill-to name and the primary contact are what Autotask's own
    /// invoices are sent by.
    /// </summary>
    public static BillingContactRecorded ToContact(ConnectionSettings connection, AutotaskCompany company, IEnumerable<AutotaskContact> contacts,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(company);
        var customer = company.Id.ToString(CultureInfo.InvariantCulture);
        var attention = company.BillToAttention?.Trim();
        var contact = contacts
            .Where(c => c.CompanyId == company.Id && c.IsActive != 0)
            .Select(c => (Contact: c, Named: !string.IsNullOrEmpty(attention) && string.Equals(PersonName(c), attention, StringComparison.OrdinalIgnoreCase)))
            .Where(c => c.Named || c.Contact.PrimaryContact == true)
            .OrderByDescending(c => c.Named).ThenByDescending(c => !string.IsNullOrWhiteSpace(c.Contact.EmailAddress)).ThenBy(c => c.Contact.Id)
            .Select(c => c.Contact).FirstOrDefault();
        return new BillingContactRecorded(connection.TenantId, connection.Id, IntegrationKind.AutotaskPsa, customer, Name(company) ?? customer,
            contact is null ? null : PersonName(contact), Blank(contact?.EmailAddress), Blank(contact?.Phone), now);
    }

    /// <summary>Paid in full once Autotask has a paid date; owing its total until then (Autotask has no partial payments).</summary>
    private static decimal Balance(AutotaskInvoice invoice) => invoice.PaidDate is null ? invoice.InvoiceTotal ?? 0m : 0m;

    private static string? Name(AutotaskCompany? company) =>
        company?.CompanyName is { Length: > 0 and <= MaxNameLength } name && !string.IsNullOrWhiteSpace(name) ? name : null;

    private static string? PersonName(AutotaskContact contact)
    {
        var name = string.Join(' ', new[] { contact.FirstName, contact.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()));
        return name.Length == 0 ? null : name;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
