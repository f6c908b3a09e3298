using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Seeding an organisation: contacts (with contact persons), accounts, ACCREC invoices, and a person's change of an
/// invoice's status (void, delete, authorise). Each answers 201/200 with the new record's ids, 400 with the rule broken.
/// </summary>
internal sealed partial class XeroAdminHandler
{
    /// <summary><c>POST organisations/{tenantId}/seed</c> with <c>{"contacts": N, "invoices": M, "seed": 42}</c>: many records at once (see <see cref="XeroSeeder"/>).</summary>
    public Task SeedManyAsync(HttpContext context) => SeedAsync(context, (organisation, root) =>
        XeroSeeder.Seed(organisation, XeroAdminJson.Int(root, "contacts") ?? 0, XeroAdminJson.Int(root, "invoices") ?? 0, XeroAdminJson.Int(root, "seed") ?? 1),
        StatusCodes.Status200OK);

    public Task AddContactAsync(HttpContext context) => SeedAsync(context, (organisation, root) =>
    {
        var persons = XeroAdminJson.Array(root, "contactPersons", 50).Select(p => new XeroContactPerson(
            XeroAdminJson.String(p, "firstName"), XeroAdminJson.String(p, "lastName"), XeroAdminJson.String(p, "emailAddress"),
            XeroAdminJson.Bool(p, "includeInEmails"))).ToList();
        var contact = organisation.AddContact(XeroAdminJson.String(root, "name") ?? "", XeroAdminJson.String(root, "emailAddress"),
            XeroAdminJson.String(root, "firstName"), XeroAdminJson.String(root, "lastName"), XeroAdminJson.String(root, "contactNumber"), persons);
        return new { contactId = contact.ContactId, name = contact.Name };
    });

    public Task AddAccountAsync(HttpContext context) => SeedAsync(context, (organisation, root) =>
    {
        var account = organisation.AddAccount(XeroAdminJson.String(root, "code") ?? "", XeroAdminJson.String(root, "name") ?? "",
            XeroAdminJson.String(root, "type")?.ToUpperInvariant() ?? "", XeroAdminJson.Bool(root, "enablePaymentsToAccount"),
            XeroAdminJson.String(root, "bankAccountNumber"));
        return new { accountId = account.AccountId, code = account.Code };
    });

    /// <summary>
    /// <c>{"contactId", "invoiceNumber"?, "reference"?, "date"?, "dueDate"?, "status"? (AUTHORISED), "currencyCode"?,
    /// "lineItems": [{"description", "quantity", "unitAmount", "accountCode"}]}</c>, or <c>"amount"</c> for one line to 200 Sales.
    /// </summary>
    public Task AddInvoiceAsync(HttpContext context) => SeedAsync(context, (organisation, root) =>
    {
        var contact = Guid.TryParse(XeroAdminJson.String(root, "contactId"), out var contactId)
            ? organisation.Contacts.GetValueOrDefault(contactId)
            : null;
        if (contact is null)
        {
            throw new ArgumentException("contactId must name a contact of the organisation.");
        }

        var lines = XeroAdminJson.Array(root, "lineItems", 1000).Select(l => new XeroLineItem(Guid.NewGuid(),
            Description(XeroAdminJson.String(l, "description")), XeroAdminJson.Decimal(l, "quantity") ?? 1m,
            XeroAdminJson.Decimal(l, "unitAmount") ?? -1m, XeroAdminJson.String(l, "accountCode") ?? "200")).ToList();
        if (lines.Count == 0 && XeroAdminJson.Decimal(root, "amount") is { } amount)
        {
            lines.Add(new XeroLineItem(Guid.NewGuid(), "Services", 1m, amount, "200"));
        }

        var today = DateOnly.FromDateTime(organisation.Now.UtcDateTime);
        var date = XeroAdminJson.Date(root, "date") ?? today;
        var invoice = organisation.AddInvoice(contact, XeroAdminJson.String(root, "invoiceNumber"), XeroAdminJson.String(root, "reference"),
            date, XeroAdminJson.Date(root, "dueDate") ?? date.AddDays(30), XeroAdminJson.String(root, "status")?.ToUpperInvariant() ?? "AUTHORISED",
            XeroAdminJson.String(root, "currencyCode"), lines);
        return new { invoiceId = invoice.InvoiceId, invoiceNumber = invoice.InvoiceNumber, total = invoice.Total };
    });

    /// <summary><c>POST organisations/{tenantId}/invoices/{invoiceId}/status</c> with <c>{"status": "VOIDED"}</c>: a person's change in Xero.</summary>
    public Task ChangeInvoiceStatusAsync(HttpContext context) => SeedAsync(context, (organisation, root) =>
    {
        var invoice = Guid.TryParse(context.Request.RouteValues["invoiceId"] as string, out var invoiceId)
            ? organisation.Invoices.GetValueOrDefault(invoiceId)
            : null;
        if (invoice is null)
        {
            throw new ArgumentException("No such invoice.");
        }

        organisation.ChangeStatus(invoice, XeroAdminJson.String(root, "status")?.ToUpperInvariant() ?? "");
        return new { invoiceId = invoice.InvoiceId, status = invoice.Status };
    }, StatusCodes.Status200OK);

    private async Task SeedAsync(HttpContext context, Func<XeroOrganisation, JsonElement, object> seed, int status = StatusCodes.Status201Created)
    {
        var organisation = TenantId(context) is { } tenantId ? simulator.Find(tenantId) : null;
        if (organisation is null)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status404NotFound, "No such organisation.");
            return;
        }

        using var body = await XeroAdminJson.ReadObjectAsync(context);
        if (body is null)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest, "The body must be a JSON object of at most 1 MB.");
            return;
        }

        object result;
        try
        {
            lock (organisation.Gate)
            {
                result = seed(organisation, body.RootElement);
            }
        }
        catch (ArgumentException ex)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest, ex.Message);
            return;
        }

        await XeroAdminJson.WriteAsync(context, status, result);
    }

    private static string Description(string? text) =>
        text is null ? "Services" : text.Length <= 4000 ? text : throw new ArgumentException("description must be at most 4000 characters.");
}
