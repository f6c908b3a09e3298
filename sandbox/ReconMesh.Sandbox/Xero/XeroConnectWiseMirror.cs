using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.Sandbox.ConnectWise;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// <c>POST /admin/xero/organisations/{tenantId}/mirror-connectwise</c> with <c>{"companyId": "reconmesh", "leaveOut":
/// ["…"]}</c>: what a partner's PSA-to-accounting sync would have done. Each invoice of the ConnectWise site is raised in
/// the organisation under the same number, AUTHORISED, of one line of its total to 200 Sales, for a contact per
/// ConnectWise company (<c>ConnectWise company {id}</c>), except the numbers in <c>leaveOut</c> and those the
/// organisation already has (so asking again raises only what is new). Answers 200 with the numbers raised.
/// Only where the sandbox runs both simulators.
/// </summary>
internal sealed class XeroConnectWiseMirror(XeroSimulator xero, ConnectWiseSimulator connectWise)
{
    public const int MaxLeftOut = 1000;

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var mirror = new XeroConnectWiseMirror(endpoints.ServiceProvider.GetRequiredService<XeroSimulator>(),
            endpoints.ServiceProvider.GetRequiredService<ConnectWiseSimulator>());
        endpoints.MapPost("/admin/xero/organisations/{tenantId}/mirror-connectwise", new RequestDelegate(mirror.MirrorAsync));
        return endpoints;
    }

    public async Task MirrorAsync(HttpContext context)
    {
        var request = await ReadAsync(context, xero, "companyId", id => connectWise.GetBooks(id) is not null,
            "The body must be a JSON object naming a ConnectWise site of the sandbox: {\"companyId\": \"reconmesh\", \"leaveOut\": [\"<invoice number>\"]}.");
        if (request is not { } read)
        {
            return;
        }

        var (organisation, companyId, leaveOut) = read;
        var site = connectWise.GetBooks(companyId)!;
        var raised = new List<string>();
        lock (organisation.Gate)
        {
            var today = DateOnly.FromDateTime(organisation.Now.UtcDateTime);
            foreach (var invoice in site.Invoices.OrderBy(i => i.Id))
            {
                if (leaveOut.Contains(invoice.InvoiceNumber) || organisation.InvoiceByNumber(invoice.InvoiceNumber) is not null)
                {
                    continue;
                }

                organisation.AddInvoice(ContactFor(organisation, invoice.CompanyId), invoice.InvoiceNumber, null, today, today.AddDays(30), "AUTHORISED", null,
                    [new XeroLineItem(Guid.NewGuid(), "Services (from ConnectWise)", 1m, invoice.Total, "200")]);
                raised.Add(invoice.InvoiceNumber);
            }
        }

        await XeroAdminJson.WriteAsync(context, StatusCodes.Status200OK, new { raised = raised.Count, invoiceNumbers = raised });
    }

    private static XeroContact ContactFor(XeroOrganisation organisation, int company)
    {
        var name = "ConnectWise company " + company.ToString(CultureInfo.InvariantCulture);
        return organisation.Contacts.Values.FirstOrDefault(c => c.Name == name)
            ?? organisation.AddContact(name, null, null, null, null, []);
    }

    /// <summary>
    /// Reads a mirror request: the organisation of the route's tenantId (404 when there is none), the source named by
    /// <paramref name="sourceKey"/> in the body (400 with <paramref name="usage"/> when it is not one the sandbox has)
    /// and the invoice numbers to leave out. Null once the refusal is written.
    /// </summary>
    internal static async Task<(XeroOrganisation Organisation, string Source, HashSet<string> LeaveOut)?> ReadAsync(
        HttpContext context, XeroSimulator xero, string sourceKey, Func<string, bool> sourceExists, string usage)
    {
        var organisation = Guid.TryParse(context.Request.RouteValues["tenantId"] as string, out var tenantId) ? xero.Find(tenantId) : null;
        if (organisation is null)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status404NotFound, "No such organisation.");
            return null;
        }

        using var body = await XeroAdminJson.ReadObjectAsync(context);
        var source = body is null ? null : XeroAdminJson.String(body.RootElement, sourceKey);
        if (body is null || source is null || !sourceExists(source))
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest, usage);
            return null;
        }

        try
        {
            return (organisation, source, LeftOut(body.RootElement));
        }
        catch (ArgumentException ex)
        {
            await XeroAdminJson.ErrorAsync(context, StatusCodes.Status400BadRequest, ex.Message);
            return null;
        }
    }

    internal static HashSet<string> LeftOut(System.Text.Json.JsonElement root)
    {
        if (!root.TryGetProperty("leaveOut", out var value) || value.ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != System.Text.Json.JsonValueKind.Array || value.GetArrayLength() > MaxLeftOut
            || value.EnumerateArray().Any(e => e.ValueKind != System.Text.Json.JsonValueKind.String))
        {
            throw new ArgumentException($"leaveOut must be an array of at most {MaxLeftOut} invoice numbers.");
        }

        return [.. value.EnumerateArray().Select(e => e.GetString()!.Trim())];
    }
}
