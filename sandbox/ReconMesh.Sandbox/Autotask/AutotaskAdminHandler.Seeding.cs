using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ReconMesh.Sandbox.Xero;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// Seeding and hand-made changes, done as Autotask's users and billing would (not over the API): <c>seed</c> (many
/// companies and invoices, deterministic), <c>companies</c> (one company and its billing contact), <c>invoices</c>
/// (one posted invoice), <c>invoices/{id}/void</c> and <c>invoices/{id}/paid</c> (the paid date set or cleared by hand).
/// </summary>
internal sealed partial class AutotaskAdminHandler
{
    private const int MaxSeedCompanies = 5_000;
    private const int MaxSeedInvoices = 50_000;

    /// <summary><c>POST databases/{id}/seed</c> <c>{"seed":1,"companies":10,"invoicesPerCompany":3,"paidRate":0,"voidedRate":0}</c>.</summary>
    public async Task SeedAsync(HttpContext context)
    {
        using var body = await XeroAdminJson.ReadObjectAsync(context);
        var root = body?.RootElement;
        var seed = root is { } r ? XeroAdminJson.Int(r, "seed") ?? 1 : 1;
        var companies = root is { } c ? XeroAdminJson.Int(c, "companies") ?? 10 : 10;
        var perCompany = root is { } i ? XeroAdminJson.Int(i, "invoicesPerCompany") ?? 3 : 3;
        var paidRate = root is { } p ? Rate(p, "paidRate") : 0;
        var voidedRate = root is { } v ? Rate(v, "voidedRate") : 0;
        if (Database(context) is not { } database)
        {
            await NoSuchDatabaseAsync(context);
            return;
        }

        if (body is null || companies is < 1 or > MaxSeedCompanies || perCompany < 0 || (long)companies * perCompany > MaxSeedInvoices
            || paidRate is < 0 or > 1 || voidedRate is < 0 or > 1 || paidRate + voidedRate > 1)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest,
                $"The body must be a JSON object: {{\"seed\": 1, \"companies\": 1-{MaxSeedCompanies}, \"invoicesPerCompany\": 3, \"paidRate\": 0-1, \"voidedRate\": 0-1}} (at most {MaxSeedInvoices} invoices).");
            return;
        }

        List<long> made;
        lock (database.Gate)
        {
            made = AutotaskSeeder.Seed(database, seed, companies, perCompany, paidRate, voidedRate);
        }

        await XeroAdminJson.WriteAsync(context, StatusCodes.Status201Created, new { companies, invoices = made.Count, invoiceIds = made.Take(1000) });
    }

    /// <summary><c>POST databases/{id}/companies</c> <c>{companyName, firstName, lastName, emailAddress}</c>: a company with its billing contact.</summary>
    public async Task AddCompanyAsync(HttpContext context)
    {
        using var body = await XeroAdminJson.ReadObjectAsync(context);
        var root = body?.RootElement ?? default;
        var name = body is null ? null : XeroAdminJson.String(root, "companyName");
        if (Database(context) is not { } database)
        {
            await NoSuchDatabaseAsync(context);
            return;
        }

        if (name is null || name.Length > AutotaskDatabase.MaxTextLength)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object: {\"companyName\": \"…\", \"firstName\": \"…\", \"lastName\": \"…\", \"emailAddress\": \"…\"}.");
            return;
        }

        long companyId;
        long contactId;
        lock (database.Gate)
        {
            var company = AutotaskSeeder.AddCompany(database, name, Text(root, "firstName", "Billing"), Text(root, "lastName", "Contact"),
                Text(root, "emailAddress", "billing@example.test"));
            companyId = company.Id;
            contactId = database.Records(AutotaskEntity.Contacts).Last(c => c.Long("companyID") == companyId).Id;
        }

        await XeroAdminJson.WriteAsync(context, StatusCodes.Status201Created, new { companyId, contactId });
    }

    /// <summary><c>POST databases/{id}/invoices</c> <c>{companyId, invoiceTotal, totalTaxValue?, invoiceNumber?, invoiceDate?, termDays?}</c>: an invoice posted by billing.</summary>
    public async Task AddInvoiceAsync(HttpContext context)
    {
        using var body = await XeroAdminJson.ReadObjectAsync(context);
        if (Database(context) is not { } database)
        {
            await NoSuchDatabaseAsync(context);
            return;
        }

        var root = body?.RootElement ?? default;
        var companyId = body is null ? null : XeroAdminJson.Int(root, "companyId");
        var total = body is null ? null : XeroAdminJson.Decimal(root, "invoiceTotal");
        var number = body is null ? null : XeroAdminJson.String(root, "invoiceNumber");
        DateOnly? date;
        try
        {
            date = body is null ? null : XeroAdminJson.Date(root, "invoiceDate");
        }
        catch (ArgumentException)
        {
            date = DateOnly.MinValue;
        }

        var termDays = body is null ? 30 : XeroAdminJson.Int(root, "termDays") ?? 30;
        long? invoiceId = null;
        lock (database.Gate)
        {
            if (companyId is not null && database.Find(AutotaskEntity.Companies, companyId.Value) is not null && total is > 0m && date != DateOnly.MinValue
                && termDays is >= 0 and <= 3650
                && number is not { Length: > 50 } && (number is null || database.InvoiceByNumber(number) is null))
            {
                var day = date?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) ?? database.Now.Date;
                var invoice = AutotaskSeeder.AddInvoice(database, companyId.Value, total.Value, XeroAdminJson.Decimal(root, "totalTaxValue") ?? 0m, day,
                    termDays, number);
                invoiceId = invoice.Id;
                number = invoice.Text("invoiceNumber");
            }
        }

        await (invoiceId is not null
            ? XeroAdminJson.WriteAsync(context, StatusCodes.Status201Created, new { invoiceId, invoiceNumber = number })
            : XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object: {\"companyId\": <existing company>, \"invoiceTotal\": 100.00, \"totalTaxValue\": 0, \"invoiceNumber\": \"<unused, optional>\", \"invoiceDate\": \"yyyy-MM-dd\", \"termDays\": 0-3650}."));
    }

    /// <summary><c>POST databases/{id}/invoices/{invoiceId}/void</c>: the invoice is voided in Autotask (isVoided, voidedDate).</summary>
    public async Task VoidInvoiceAsync(HttpContext context)
    {
        if (Database(context) is not { } database)
        {
            await NoSuchDatabaseAsync(context);
            return;
        }

        bool found;
        lock (database.Gate)
        {
            var invoice = Invoice(context, database);
            found = invoice is not null;
            if (invoice is not null && !invoice.Bool("isVoided"))
            {
                AutotaskSeeder.Void(database, invoice);
            }
        }

        context.Response.StatusCode = found ? StatusCodes.Status204NoContent : StatusCodes.Status404NotFound;
    }

    /// <summary><c>POST databases/{id}/invoices/{invoiceId}/paid</c> <c>{"paidDate":"yyyy-MM-dd"}</c> (today when absent, null clears it): marked by hand in Autotask.</summary>
    public async Task MarkPaidAsync(HttpContext context)
    {
        using var body = await XeroAdminJson.ReadObjectAsync(context);
        if (Database(context) is not { } database)
        {
            await NoSuchDatabaseAsync(context);
            return;
        }

        DateOnly? date;
        try
        {
            date = body is null ? throw new ArgumentException("not an object") : XeroAdminJson.Date(body.RootElement, "paidDate");
        }
        catch (ArgumentException)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest, "The body must be a JSON object: {\"paidDate\": \"yyyy-MM-dd\" | null}.");
            return;
        }

        var clear = body.RootElement.TryGetProperty("paidDate", out var value) && value.ValueKind == JsonValueKind.Null;
        bool found;
        lock (database.Gate)
        {
            var invoice = Invoice(context, database);
            found = invoice is not null;
            if (invoice is not null)
            {
                invoice["paidDate"] = clear ? null : (date?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) ?? database.Now.Date);
            }
        }

        context.Response.StatusCode = found ? StatusCodes.Status204NoContent : StatusCodes.Status404NotFound;
    }

    private static AutotaskRecord? Invoice(HttpContext context, AutotaskDatabase database) =>
        long.TryParse(context.Request.RouteValues["invoiceId"] as string, out var id) ? database.Find(AutotaskEntity.Invoices, id) : null;

    private static double Rate(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? 0 : value.TryGetDouble(out var rate) ? rate : -1;

    private static string Text(JsonElement root, string name, string fallback) =>
        root.ValueKind == JsonValueKind.Object && XeroAdminJson.String(root, name) is { Length: <= AutotaskDatabase.MaxTextLength } text ? text : fallback;
}
