using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Xero;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// How a Xero invoice and contact become ReconMesh's snapshot and billing contact. An AUTHORISED invoice owes its
/// <c>AmountDue</c>; a PAID one owes nothing, and is held as such (deleting a payment in Xero makes it AUTHORISED again,
/// so it is not archived). VOIDED and DELETED invoices can never change again: the sync archives them. Drafts (DRAFT,
/// SUBMITTED) are not receivables yet and are left out.
/// </summary>
public static class XeroInvoiceMapping
{
    public const string Authorised = "AUTHORISED";
    public const string Paid = "PAID";
    public const string Voided = "VOIDED";
    public const string Deleted = "DELETED";

    /// <summary>A receivable in a status ReconMesh holds (open or paid).</summary>
    public static bool IsHeld(XeroInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return invoice.Type == "ACCREC" && invoice.Status is Authorised or Paid;
    }

    /// <summary>A receivable voided or deleted: it will never change again.</summary>
    public static bool IsFinal(XeroInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return invoice.Type == "ACCREC" && invoice.Status is Voided or Deleted;
    }

    /// <summary>Why an invoice cannot be taken in as it is, or null when it can.</summary>
    public static string? Problem(XeroInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var (total, balance) = Amounts(invoice);
        return InvoiceChecks.Problem(invoice.InvoiceId, invoice.Contact?.ContactId, "Contact.ContactID", total, balance,
            invoice.CurrencyCode ?? "USD", invoice.LineItems?.Count ?? 0, invoice.InvoiceNumber);
    }

    public static InvoiceSnapshot ToSnapshot(ConnectionSettings connection, XeroInvoice invoice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(invoice);
        var (total, balance) = Amounts(invoice);
        var lines = (invoice.LineItems ?? []).Select(l => new InvoiceLine(l.Description ?? "", l.LineAmount ?? 0m)).ToList();
        return new InvoiceSnapshot(
            MeshIds.Invoice(connection.Id, invoice.InvoiceId), connection.TenantId, connection.Id, IntegrationKind.Xero,
            invoice.InvoiceId, string.IsNullOrEmpty(invoice.InvoiceNumber) ? invoice.InvoiceId : invoice.InvoiceNumber,
            invoice.Contact!.ContactId!, invoice.Contact.Name ?? "", invoice.CurrencyCode ?? "USD", total, balance,
            DateOnly.FromDateTime((invoice.Date ?? invoice.UpdatedDateUtc ?? now).UtcDateTime),
            invoice.DueDate is { } due ? DateOnly.FromDateTime(due.UtcDateTime) : null, lines);
    }

    /// <summary>
    /// The contact's billing contact: its own email address, else the first contact person Xero includes in emails
    /// (whose name then names the contact person).
    /// </summary>
    public static BillingContactRecorded ToContact(ConnectionSettings connection, XeroContact contact, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(contact);
        var person = (contact.ContactPersons ?? []).FirstOrDefault(p => p.IncludeInEmails && !string.IsNullOrWhiteSpace(p.EmailAddress));
        var email = !string.IsNullOrWhiteSpace(contact.EmailAddress) ? contact.EmailAddress : person?.EmailAddress;
        var name = Name(contact.FirstName, contact.LastName) ?? (string.IsNullOrWhiteSpace(contact.EmailAddress) ? Name(person?.FirstName, person?.LastName) : null);
        return new BillingContactRecorded(connection.TenantId, connection.Id, IntegrationKind.Xero, contact.ContactId,
            contact.Name ?? contact.ContactId, name, email, null, now);
    }

    private static (decimal Total, decimal Balance) Amounts(XeroInvoice invoice) => (invoice.Total, invoice.Status == Paid ? 0m : invoice.AmountDue);

    private static string? Name(string? first, string? last)
    {
        var name = string.Join(' ', new[] { first, last }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return name.Length == 0 ? null : name;
    }
}
