using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.Sandbox.Xero;

namespace ReconMesh.Sandbox.Autotask;

/// <summary>
/// <c>POST /admin/xero/organisations/{tenantId}/mirror-autotask</c> with <c>{"databaseId": "sandbox", "leaveOut":
/// ["…"]}</c>: what a partner's Autotask-to-accounting sync would have done (Autotask is usually paired with an
/// accounting system that holds the money). Each invoice of the Autotask database that is not voided is raised in the
/// organisation under the same number, AUTHORISED, dated and due as in Autotask, of one line of its total to 200 Sales,
/// for a contact named as the Autotask company (with its billing contact's email), except the numbers in
/// <c>leaveOut</c> and those the organisation already has (so asking again raises only what is new). Answers 200 with
/// the numbers raised. Only where the sandbox runs both simulators.
/// </summary>
internal sealed class AutotaskXeroMirror(XeroSimulator xero, AutotaskSimulator autotask)
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var mirror = new AutotaskXeroMirror(endpoints.ServiceProvider.GetRequiredService<XeroSimulator>(),
            endpoints.ServiceProvider.GetRequiredService<AutotaskSimulator>());
        endpoints.MapPost("/admin/xero/organisations/{tenantId}/mirror-autotask", new RequestDelegate(mirror.MirrorAsync));
        return endpoints;
    }

    public async Task MirrorAsync(HttpContext context)
    {
        var request = await XeroConnectWiseMirror.ReadAsync(context, xero, "databaseId", id => autotask.Find(id) is not null,
            "The body must be a JSON object naming an Autotask database of the sandbox: {\"databaseId\": \"sandbox\", \"leaveOut\": [\"<invoice number>\"]}.");
        if (request is not { } read)
        {
            return;
        }

        var (organisation, databaseId, leaveOut) = read;
        var database = autotask.Find(databaseId)!;
        var raised = new List<string>();
        foreach (var (number, company, email, total, date, due) in Invoices(database, leaveOut))
        {
            lock (organisation.Gate)
            {
                if (organisation.InvoiceByNumber(number) is not null)
                {
                    continue;
                }

                var contact = organisation.Contacts.Values.FirstOrDefault(c => c.Name == company) ?? organisation.AddContact(company, email, null, null, null, []);
                organisation.AddInvoice(contact, number, null, date, due, "AUTHORISED", null,
                    [new XeroLineItem(Guid.NewGuid(), "Services (from Autotask)", 1m, total, "200")]);
                raised.Add(number);
            }
        }

        await XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK, new { raised = raised.Count, invoiceNumbers = raised });
    }

    /// <summary>The database's invoices to raise in an accounting system (not voided, not left out), read under its lock (never while holding the other system's).</summary>
    internal static List<(string Number, string Company, string? Email, decimal Total, DateOnly Date, DateOnly? Due)> Invoices(
        AutotaskDatabase database, HashSet<string> leaveOut)
    {
        lock (database.Gate)
        {
            var billing = database.Records(AutotaskEntity.Contacts).Where(c => c.Bool("primaryContact"))
                .GroupBy(c => c.Long("companyID") ?? 0).ToDictionary(g => g.Key, g => g.First().Text("emailAddress"));
            return [.. database.Records(AutotaskEntity.Invoices)
                .Where(i => !i.Bool("isVoided") && !leaveOut.Contains(i.Text("invoiceNumber")!))
                .Select(i =>
                {
                    var companyId = i.Long("companyID") ?? 0;
                    var company = database.Find(AutotaskEntity.Companies, companyId)?.Text("companyName") ?? $"Autotask company {companyId}";
                    return (i.Text("invoiceNumber")!, company, billing.GetValueOrDefault(companyId), i.Decimal("invoiceTotal"),
                        DateOnly.FromDateTime(i.Date("invoiceDateTime") ?? database.Now), i.Date("dueDate") is { } due ? DateOnly.FromDateTime(due) : (DateOnly?)null);
                })];
        }
    }
}
