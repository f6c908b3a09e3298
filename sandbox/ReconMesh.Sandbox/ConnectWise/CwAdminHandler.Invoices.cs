using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>A person's work on invoices in PSA, as the admin API simulates it: create, edit, delete.</summary>
internal sealed partial class CwAdminHandler
{
    /// <summary>A new invoice "appears", as if a person created it in PSA. Body: the API's Invoice fields.</summary>
    public async Task CreateInvoiceAsync(HttpContext context)
    {
        var site = await RequireSiteAsync(context);
        var root = site is null ? null : await ReadObjectAsync(context);
        if (site is null)
        {
            return;
        }

        if (root is null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object with the API's Invoice fields, e.g. {\"type\": \"Standard\", \"company\": {\"id\": 250}, \"total\": 100.00}.");
            return;
        }

        try
        {
            JsonObject invoice;
            var actor = Actor(context);
            lock (site.Gate)
            {
                invoice = site.InvoiceJson(site.CreateInvoice(root.Value, actor), actor.BaseUrl);
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            await WriteNodeAsync(context, invoice);
        }
        catch (CwErrorException error)
        {
            await ErrorAsync(context, error.Status, Describe(error));
        }
    }

    /// <summary>An edit "by a person": <c>{total?, dueDate?, status? (id, {id} or name), credits?, invoiceNumber?}</c>.</summary>
    public async Task PatchInvoiceAsync(HttpContext context)
    {
        var site = await RequireSiteAsync(context);
        var root = site is null ? null : await ReadObjectAsync(context);
        if (site is null)
        {
            return;
        }

        if (root is null || !int.TryParse(context.Request.RouteValues["id"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest,
                "The body must be a JSON object such as {\"total\": 120.50, \"dueDate\": \"2024-04-30T00:00:00Z\", \"status\": 3}, and the id a number.");
            return;
        }

        try
        {
            JsonObject invoice;
            var actor = Actor(context);
            lock (site.Gate)
            {
                invoice = site.InvoiceJson(site.AdminPatchInvoice(id, NormalizeStatus(root.Value), actor), actor.BaseUrl);
            }

            await WriteNodeAsync(context, invoice);
        }
        catch (CwErrorException error)
        {
            await ErrorAsync(context, error.Status, Describe(error));
        }
    }

    /// <summary>A person deletes the invoice in PSA (refused while payments are applied): callbacks report <c>deleted</c>.</summary>
    public async Task DeleteInvoiceAsync(HttpContext context)
    {
        var site = await RequireSiteAsync(context);
        if (site is null)
        {
            return;
        }

        if (!int.TryParse(context.Request.RouteValues["id"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "The invoice id must be a number.");
            return;
        }

        try
        {
            var actor = Actor(context);
            lock (site.Gate)
            {
                site.DeleteInvoice(id, actor);
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (CwErrorException error)
        {
            await ErrorAsync(context, error.Status, Describe(error));
        }
    }

    /// <summary>Lets the admin edit say <c>"status": 3</c> as well as <c>"status": {"id": 3}</c> or a status name.</summary>
    private static JsonElement NormalizeStatus(JsonElement root)
    {
        if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Number)
        {
            return root;
        }

        var copy = JsonNode.Parse(root.GetRawText())!.AsObject();
        copy["status"] = new JsonObject { ["id"] = JsonNode.Parse(status.GetRawText()) };
        return JsonSerializer.SerializeToElement(copy);
    }
}
