using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.Sandbox.QuickBooks;
using ReconMesh.Sandbox.Xero;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// <c>POST /admin/qbo/companies/{realmId}/mirror-autotask</c> with <c>{"databaseId": "sandbox", "leaveOut": ["…"]}</c>:
/// what a partner's Autotask-to-QuickBooks sync would have done (Autotask with QuickBooks Online is a common pairing).
/// Each invoice of the Autotask database that is not voided is created in the QuickBooks company with the same
/// <c>DocNumber</c>, <c>TxnDate</c> and <c>DueDate</c>, of one Services line of its total, for a customer named as the
/// Autotask company (with its billing contact's email), except the numbers in <c>leaveOut</c> and those the company
/// already has (so asking again creates only what is new). The creations reach QuickBooks' webhooks and change data
/// capture like any other. Answers 200 with the numbers created. Only where the sandbox runs both simulators.
/// </summary>
internal sealed class AutotaskQuickBooksMirror(QuickBooksSimulator quickBooks, QboWebhookDispatcher webhooks, AutotaskSimulator autotask)
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var mirror = new AutotaskQuickBooksMirror(services.GetRequiredService<QuickBooksSimulator>(), services.GetRequiredService<QboWebhookDispatcher>(),
            services.GetRequiredService<AutotaskSimulator>());
        endpoints.MapPost("/admin/qbo/companies/{realmId}/mirror-autotask", new RequestDelegate(mirror.MirrorAsync));
        return endpoints;
    }

    public async Task MirrorAsync(HttpContext context)
    {
        var realmId = context.Request.RouteValues["realmId"] as string;
        if (quickBooks.Find(realmId) is not { } company)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status404NotFound, $"Company {realmId} does not exist.");
            return;
        }

        using var body = await XeroAdminJson.ReadObjectAsync(context);
        var databaseId = body is null ? null : XeroAdminJson.String(body.RootElement, "databaseId");
        if (body is null || databaseId is null || autotask.Find(databaseId) is not { } database)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object naming an Autotask database of the sandbox: {\"databaseId\": \"sandbox\", \"leaveOut\": [\"<invoice number>\"]}.");
            return;
        }

        List<(string Number, string Company, string? Email, decimal Total, DateOnly Date, DateOnly? Due)> invoices;
        try
        {
            invoices = AutotaskXeroMirror.Invoices(database, XeroConnectWiseMirror.LeftOut(body.RootElement));
        }
        catch (ArgumentException ex)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest, ex.Message);
            return;
        }

        var created = new List<string>();
        using (company.Writing())
        {
            var numbers = company.Live(QboSchemas.Invoice).Select(i => QboJson.GetString(i.Doc, "DocNumber")).ToHashSet(StringComparer.Ordinal);
            foreach (var (number, name, email, total, date, due) in invoices.Where(i => !numbers.Contains(i.Number)))
            {
                var customerId = company.Live(QboSchemas.Customer).FirstOrDefault(c => QboJson.GetString(c.Doc, "DisplayName") == name)?.Id
                    ?? company.CreateCustomer(Customer(name, email)).Id;
                company.CreateInvoice(Invoice(customerId, number, total, date, due), allowDuplicateDocNumber: false);
                created.Add(number);
            }
        }

        webhooks.Enqueue(quickBooks.TakeChanges(realmId!));
        await XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK, new { created = created.Count, invoiceNumbers = created });
    }

    private static JsonObject Customer(string name, string? email)
    {
        var customer = new JsonObject { ["DisplayName"] = name, ["CompanyName"] = name };
        if (email is not null)
        {
            customer["PrimaryEmailAddr"] = new JsonObject { ["Address"] = email };
        }

        return customer;
    }

    private static JsonObject Invoice(string customerId, string number, decimal total, DateOnly date, DateOnly? due)
    {
        var invoice = new JsonObject
        {
            ["CustomerRef"] = QboJson.Ref(customerId),
            ["DocNumber"] = number,
            ["TxnDate"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Line"] = new JsonArray(new JsonObject
            {
                ["DetailType"] = "SalesItemLineDetail",
                ["Description"] = "Services (from Autotask)",
                ["Amount"] = total,
                ["SalesItemLineDetail"] = new JsonObject { ["ItemRef"] = QboJson.Ref("1", "Services"), ["Qty"] = 1, ["UnitPrice"] = total },
            }),
        };
        if (due is { } dueDate)
        {
            invoice["DueDate"] = dueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return invoice;
    }
}
