using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// GET of Invoices, Contacts, Accounts and Payments, one or a list. Lists take <c>where</c>, <c>order</c>, <c>page</c>,
/// <c>pageSize</c>, <c>IDs</c> and <c>If-Modified-Since</c>; Invoices also <c>Statuses</c>, <c>InvoiceNumbers</c>,
/// <c>ContactIDs</c> and <c>summaryOnly</c>; Contacts <c>includeArchived</c> and <c>searchTerm</c>. Runs under the
/// organisation's lock.
/// </summary>
internal sealed partial class XeroApiHandler
{
    private static XeroHttpResponse ListInvoices(XeroOrganisation organisation, HttpRequest request)
    {
        var query = new XeroListQuery<XeroInvoice>(request, XeroFields.Invoice, "Invoice");
        var statuses = query.Strings("Statuses");
        var numbers = query.Strings("InvoiceNumbers");
        var contacts = query.Guids("ContactIDs");
        var matching = query.Apply(organisation.Invoices.Values, i => i.UpdatedUtc, i => i.InvoiceId)
            .Where(i => statuses is null || statuses.Contains(i.Status))
            .Where(i => numbers is null || numbers.Contains(i.InvoiceNumber))
            .Where(i => contacts is null || contacts.Contains(i.Contact.ContactId));
        var (items, page) = query.Page(matching);
        var summaryOnly = bool.TryParse(request.Query["summaryOnly"], out var summary) && summary;
        var withLines = page is not null && !summaryOnly;
        return Ok(organisation, "Invoices", items.Select(i => XeroWire.Invoice(i, withLines)), page);
    }

    /// <summary>One invoice by InvoiceID or by InvoiceNumber, as Xero allows.</summary>
    private static XeroHttpResponse GetInvoice(XeroOrganisation organisation, string? id)
    {
        var invoice = Guid.TryParse(id, out var invoiceId)
            ? organisation.Invoices.GetValueOrDefault(invoiceId)
            : organisation.InvoiceByNumber(id ?? "");
        return invoice is null ? throw XeroErrors.NotFound() : Ok(organisation, "Invoices", [XeroWire.Invoice(invoice, true)]);
    }

    private static XeroHttpResponse ListContacts(XeroOrganisation organisation, HttpRequest request)
    {
        var query = new XeroListQuery<XeroContact>(request, XeroFields.Contact, "Contact");
        var includeArchived = bool.TryParse(request.Query["includeArchived"], out var archived) && archived;
        var term = request.Query["searchTerm"].ToString().Trim();
        if (term.Length > XeroOrganisation.MaxTextLength)
        {
            throw XeroErrors.QueryParse($"searchTerm must be at most {XeroOrganisation.MaxTextLength} characters");
        }

        var matching = query.Apply(organisation.Contacts.Values, c => c.UpdatedUtc, c => c.ContactId)
            .Where(c => includeArchived || c.ContactStatus != "ARCHIVED")
            .Where(c => term.Length == 0 || new[] { c.Name, c.FirstName, c.LastName, c.EmailAddress, c.ContactNumber }
                .Any(v => v?.Contains(term, StringComparison.OrdinalIgnoreCase) == true));
        var (items, page) = query.Page(matching);
        return Ok(organisation, "Contacts", items.Select(c => XeroWire.Contact(c, organisation.IsCustomer(c))), page);
    }

    private static XeroHttpResponse GetContact(XeroOrganisation organisation, string? id) =>
        Guid.TryParse(id, out var contactId) && organisation.Contacts.GetValueOrDefault(contactId) is { } contact
            ? Ok(organisation, "Contacts", [XeroWire.Contact(contact, organisation.IsCustomer(contact))])
            : throw XeroErrors.NotFound();

    /// <summary>The chart of accounts (ordered by code), or one account by AccountID.</summary>
    private static XeroHttpResponse ListAccounts(XeroOrganisation organisation, string? id)
    {
        if (id is null)
        {
            return Ok(organisation, "Accounts", organisation.Accounts.Values.OrderBy(a => a.Code, StringComparer.Ordinal).Select(XeroWire.Account));
        }

        return Guid.TryParse(id, out var accountId) && organisation.Accounts.GetValueOrDefault(accountId) is { } account
            ? Ok(organisation, "Accounts", [XeroWire.Account(account)])
            : throw XeroErrors.NotFound();
    }

    private static XeroHttpResponse ListPayments(XeroOrganisation organisation, HttpRequest request) =>
        List(organisation, request, XeroFields.Payment, "Payment", organisation.Payments.Values, p => p.UpdatedUtc, p => p.PaymentId, XeroWire.Payment);

    private static XeroHttpResponse GetPayment(XeroOrganisation organisation, string? id) =>
        One(organisation, "Payments", Guid.TryParse(id, out var paymentId) ? organisation.Payments.GetValueOrDefault(paymentId) : null, XeroWire.Payment);

    /// <summary>A collection with only the shared list parameters, named after <paramref name="typeName"/> (plural).</summary>
    private static XeroHttpResponse List<T>(XeroOrganisation organisation, HttpRequest request, IReadOnlyDictionary<string, XeroField<T>> fields,
        string typeName, IEnumerable<T> records, Func<T, DateTimeOffset> updated, Func<T, Guid> id, Func<T, JsonObject> render)
    {
        var query = new XeroListQuery<T>(request, fields, typeName);
        var (items, page) = query.Page(query.Apply(records, updated, id));
        return Ok(organisation, typeName + "s", items.Select(render), page);
    }

    private static XeroHttpResponse One<T>(XeroOrganisation organisation, string collection, T? record, Func<T, JsonObject> render)
        where T : class =>
        record is null ? throw XeroErrors.NotFound() : Ok(organisation, collection, [render(record)]);

    private static XeroHttpResponse Ok(XeroOrganisation organisation, string collection, IEnumerable<JsonObject> items, XeroPage? page = null) =>
        new(StatusCodes.Status200OK, XeroWire.Serialize(
            XeroWire.Envelope(organisation.Now, collection, new JsonArray([.. items.Select(i => (JsonNode)i)]), page)));
}
