using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// <c>GET /Invoices</c> of the Xero simulator: the invoice's JSON shape, paging by 100, <c>where</c> (and its
/// QueryParseException), <c>Statuses</c>, <c>If-Modified-Since</c>, and reading one invoice by id or number.
/// The clock is moved by hand so UpdatedDateUTC is exact.
/// </summary>
[TestFixture]
public sealed class XeroInvoiceReadTests : XeroFixture
{
    [Test]
    public async Task An_invoice_has_Xeros_fields_dates_and_amounts()
    {
        var client = await Host.NewOrganisationAsync();
        var contactId = await client.AddContactAsync(Host, "Acme Ltd");
        var (invoiceId, _) = await client.AddInvoiceAsync(Host, contactId, 0m, new JsonObject
        {
            ["invoiceNumber"] = "CW-1001",
            ["reference"] = "PO 7",
            ["date"] = "2026-11-30",
            ["dueDate"] = "2026-12-30",
            ["lineItems"] = new JsonArray(
                new JsonObject { ["description"] = "Managed services", ["quantity"] = 2, ["unitAmount"] = 150.25m, ["accountCode"] = "200" },
                new JsonObject { ["description"] = "Licences", ["quantity"] = 1, ["unitAmount"] = 99.5m }),
        });

        var reply = await client.GetAsync($"Invoices/{invoiceId}");
        var invoice = reply.Json["Invoices"]![0]!;
        var line = invoice["LineItems"]![0]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Json["Id"], Is.Not.Null);
            Assert.That(reply.Json["ProviderName"], Is.Not.Null);
            Assert.That(invoice["Type"]!.GetValue<string>(), Is.EqualTo("ACCREC"));
            Assert.That(invoice["InvoiceNumber"]!.GetValue<string>(), Is.EqualTo("CW-1001"));
            Assert.That(invoice["Reference"]!.GetValue<string>(), Is.EqualTo("PO 7"));
            Assert.That(invoice["Status"]!.GetValue<string>(), Is.EqualTo("AUTHORISED"));
            Assert.That(invoice["Contact"]!["ContactID"]!.GetValue<string>(), Is.EqualTo(contactId));
            Assert.That(invoice["Contact"]!["Name"]!.GetValue<string>(), Is.EqualTo("Acme Ltd"));
            Assert.That(invoice["Date"]!.GetValue<string>(), Is.EqualTo("/Date(1795996800000+0000)/"));
            Assert.That(invoice["DateString"]!.GetValue<string>(), Is.EqualTo("2026-11-30T00:00:00"));
            Assert.That(invoice["DueDateString"]!.GetValue<string>(), Is.EqualTo("2026-12-30T00:00:00"));
            Assert.That(invoice["UpdatedDateUTC"]!.GetValue<string>(), Is.EqualTo($"/Date({Clock.GetUtcNow().ToUnixTimeMilliseconds()}+0000)/"));
            Assert.That(invoice["Total"]!.GetValue<decimal>(), Is.EqualTo(400.00m));
            Assert.That(invoice["SubTotal"]!.GetValue<decimal>(), Is.EqualTo(400.00m));
            Assert.That(invoice["AmountDue"]!.GetValue<decimal>(), Is.EqualTo(400.00m));
            Assert.That(invoice["AmountPaid"]!.GetValue<decimal>(), Is.Zero);
            Assert.That(invoice["CurrencyCode"]!.GetValue<string>(), Is.EqualTo("USD"));
            Assert.That(invoice["Payments"]!.AsArray(), Is.Empty);
            Assert.That(line["LineAmount"]!.GetValue<decimal>(), Is.EqualTo(300.50m));
            Assert.That(line["AccountCode"]!.GetValue<string>(), Is.EqualTo("200"));
            Assert.That(reply.Body, Does.Contain("\"Total\":400.00"), "amounts carry two decimals");
        }
    }

    [Test]
    public async Task Invoices_page_by_100_with_line_items_while_an_unpaged_list_leaves_them_out()
    {
        var client = await Host.NewOrganisationAsync();
        var contactId = await client.AddContactAsync(Host, "Acme");
        for (var i = 0; i < 230; i++)
        {
            await client.AddInvoiceAsync(Host, contactId, 10m + i);
        }

        var pages = new List<XeroReply>();
        for (var page = 1; page <= 4; page++)
        {
            pages.Add(await client.GetAsync($"Invoices?page={page}"));
        }

        var unpaged = await client.ListAsync("Invoices", "Invoices");
        var small = await client.GetAsync("Invoices?page=2&pageSize=50");
        var ids = pages.SelectMany(p => p.Json["Invoices"]!.AsArray()).Select(i => i!["InvoiceID"]!.GetValue<string>()).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pages.Select(p => p.Json["Invoices"]!.AsArray().Count), Is.EqualTo(new[] { 100, 100, 30, 0 }));
            Assert.That(pages[0].Json["pagination"]!["pageSize"]!.GetValue<int>(), Is.EqualTo(100));
            Assert.That(pages[0].Json["pagination"]!["pageCount"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(pages[0].Json["pagination"]!["itemCount"]!.GetValue<int>(), Is.EqualTo(230));
            Assert.That(ids.Distinct().Count(), Is.EqualTo(230), "pages neither overlap nor skip");
            Assert.That(pages[0].Json["Invoices"]![0]!["LineItems"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(unpaged, Has.Count.EqualTo(230));
            Assert.That(unpaged[0]!["LineItems"], Is.Null);
            Assert.That(small.Json["Invoices"]!.AsArray(), Has.Count.EqualTo(50));
        }
    }

    [Test]
    public async Task Where_filters_by_type_status_contact_and_date_and_Statuses_by_a_list()
    {
        var client = await Host.NewOrganisationAsync();
        var acme = await client.AddContactAsync(Host, "Acme");
        var other = await client.AddContactAsync(Host, "Other");
        var (november, _) = await client.AddInvoiceAsync(Host, acme, 10m, new JsonObject { ["date"] = "2026-11-15" });
        var (december, _) = await client.AddInvoiceAsync(Host, acme, 20m, new JsonObject { ["date"] = "2026-12-01" });
        var (draft, _) = await client.AddInvoiceAsync(Host, acme, 30m, new JsonObject { ["date"] = "2026-12-02", ["status"] = "DRAFT" });
        var (others, _) = await client.AddInvoiceAsync(Host, other, 40m, new JsonObject { ["date"] = "2026-12-03" });

        async Task<string[]> Where(string clause) =>
            [.. (await client.ListAsync("Invoices?page=1&where=" + Uri.EscapeDataString(clause), "Invoices")).Select(i => i!["InvoiceID"]!.GetValue<string>())];

        var authorised = await Where("Type==\"ACCREC\" AND Status==\"AUTHORISED\"");
        var acmeOnly = await Where($"Contact.ContactID==guid(\"{acme}\") && Status!=\"DRAFT\"");
        var fromDecember = await Where("Date >= DateTime(2026, 12, 01) AND Date < DateTime.Parse(\"2026-12-03\")");
        var either = await Where("(Status==\"DRAFT\" OR AmountDue>35) AND NOT Type==\"ACCPAY\"");
        var byList = await client.ListAsync("Invoices?Statuses=DRAFT,VOIDED", "Invoices");
        var byContactIds = await client.ListAsync($"Invoices?ContactIDs={other}", "Invoices");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(authorised, Is.EquivalentTo(new[] { november, december, others }));
            Assert.That(acmeOnly, Is.EquivalentTo(new[] { november, december }));
            Assert.That(fromDecember, Is.EquivalentTo(new[] { december, draft }));
            Assert.That(either, Is.EquivalentTo(new[] { draft, others }));
            Assert.That(byList.Select(i => i!["InvoiceID"]!.GetValue<string>()), Is.EqualTo(new[] { draft }));
            Assert.That(byContactIds.Select(i => i!["InvoiceID"]!.GetValue<string>()), Is.EqualTo(new[] { others }));
        }
    }

    [TestCase("Colour==\"RED\"", "No property or field 'Colour' exists in type 'Invoice'")]
    [TestCase("DueDate > \"2024-01-01\"", "Operator '>' incompatible with operand types 'DateTime?' and 'String'")]
    [TestCase("Contact.ContactID==\"abc\"", "Operator '==' incompatible with operand types 'Guid' and 'String'")]
    [TestCase("Status==\"PAID\" AND", "Expression expected")]
    [TestCase("Status==\"PAID\" AND ()", "Expression expected")]
    [TestCase("Status", "Expression of type 'Boolean' expected")]
    [TestCase("Status==\"PAID", "Unterminated string literal")]
    [TestCase("Status==\"PAID\"; DROP TABLE", "Syntax error ';'")]
    [TestCase("Date==DateTime(2026, 13, 40)", "Year, Month, and Day parameters describe an un-representable DateTime.")]
    public async Task A_where_the_simulator_cannot_parse_is_a_400_QueryParseException(string clause, string message)
    {
        var client = await Host.NewOrganisationAsync();
        var reply = await client.GetAsync("Invoices?where=" + Uri.EscapeDataString(clause));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest), reply.ToString());
            Assert.That(reply.Json["ErrorNumber"]!.GetValue<int>(), Is.EqualTo(16));
            Assert.That(reply.Json["Type"]!.GetValue<string>(), Is.EqualTo("QueryParseException"));
            Assert.That(reply.Json["Message"]!.GetValue<string>(), Is.EqualTo(message));
        }
    }

    [Test]
    public async Task Overlong_or_deeply_nested_where_clauses_are_refused_without_being_evaluated()
    {
        var client = await Host.NewOrganisationAsync();
        var tooLong = await client.GetAsync("Invoices?where=" + Uri.EscapeDataString("Reference==\"" + new string('x', 4000) + "\""));
        var tooDeep = await client.GetAsync("Invoices?where=" + Uri.EscapeDataString(new string('(', 40) + "Status==\"PAID\"" + new string(')', 40)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tooLong.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(tooLong.Json["Type"]!.GetValue<string>(), Is.EqualTo("QueryParseException"));
            Assert.That(tooDeep.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(tooDeep.Json["Message"]!.GetValue<string>(), Does.Contain("nested"));
        }
    }

    [Test]
    public async Task If_Modified_Since_returns_only_invoices_updated_at_or_after_it()
    {
        var client = await Host.NewOrganisationAsync();
        var contactId = await client.AddContactAsync(Host, "Acme");
        var (old, _) = await client.AddInvoiceAsync(Host, contactId, 10m);
        var (paidLater, _) = await client.AddInvoiceAsync(Host, contactId, 20m);
        var since = Clock.Advance(TimeSpan.FromMinutes(5));
        var (newer, _) = await client.AddInvoiceAsync(Host, contactId, 30m);
        var payment = await client.PutAsync("Payments", XeroTestClient.Payment(paidLater, "090", 5m));
        Assert.That(payment.Status, Is.EqualTo(HttpStatusCode.OK), payment.ToString());

        var iso = await client.ListAsync("Invoices?page=1", "Invoices",
            new Dictionary<string, string> { ["If-Modified-Since"] = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) });
        var http = await client.ListAsync("Invoices", "Invoices", new Dictionary<string, string> { ["If-Modified-Since"] = since.ToString("R") });
        var bad = await client.GetAsync("Invoices", new Dictionary<string, string> { ["If-Modified-Since"] = "yesterday" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(iso.Select(i => i!["InvoiceID"]!.GetValue<string>()), Is.EquivalentTo(new[] { paidLater, newer }));
            Assert.That(http.Select(i => i!["InvoiceID"]!.GetValue<string>()), Is.EquivalentTo(new[] { paidLater, newer }));
            Assert.That(iso.Select(i => i!["InvoiceID"]!.GetValue<string>()), Does.Not.Contain(old));
            Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        }
    }

    [Test]
    public async Task One_invoice_is_read_by_id_or_number_and_an_unknown_one_is_a_404()
    {
        var client = await Host.NewOrganisationAsync();
        var contactId = await client.AddContactAsync(Host, "Acme");
        var (invoiceId, number) = await client.AddInvoiceAsync(Host, contactId, 10m);

        var byNumber = await client.ListAsync($"invoices/{number}", "Invoices");
        var unknown = await client.GetAsync($"Invoices/{Guid.NewGuid()}");
        var unknownResource = await client.GetAsync("Widgets");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(byNumber.Single()!["InvoiceID"]!.GetValue<string>(), Is.EqualTo(invoiceId));
            Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(unknownResource.Status, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }
}
