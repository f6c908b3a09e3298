using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>Invoices and the payments applied to them: create, list, read, patch, delete.</summary>
internal sealed partial class CwApiHandler
{
    private static async Task<CwHttpResponse> InvoicesAsync(HttpContext context, CwSite site, CwActor actor, string[] rest)
    {
        var request = context.Request;
        var method = request.Method;
        if (rest.Length == 0 && HttpMethods.IsPost(method))
        {
            var body = await ReadJsonAsync(context);
            lock (site.Gate)
            {
                return Created(site.InvoiceJson(site.CreateInvoice(body, actor), actor.BaseUrl));
            }
        }

        if (rest.Length == 0 || (rest.Length == 1 && Is(rest, 0, "count")))
        {
            RequireGet(method, request.Path);
            return Collection(request, site, CwFieldMap.Invoice, rest, "Invoice",
                site.Invoices.Values, i => i.Id, i => i.Audit.LastUpdated, i => i.CompanyId, i => site.InvoiceJson(i, actor.BaseUrl));
        }

        var invoiceId = ParseId(rest[0], "Invoice");
        if (rest.Length == 1)
        {
            if (HttpMethods.IsGet(method))
            {
                lock (site.Gate)
                {
                    return Ok(site.InvoiceJson(site.RequireInvoice(invoiceId), actor.BaseUrl));
                }
            }

            if (HttpMethods.IsPatch(method))
            {
                var body = await ReadJsonAsync(context);
                lock (site.Gate)
                {
                    return Ok(site.InvoiceJson(site.PatchInvoice(invoiceId, body, actor), actor.BaseUrl));
                }
            }

            if (HttpMethods.IsDelete(method))
            {
                lock (site.Gate)
                {
                    site.DeleteInvoice(invoiceId, actor);
                    return NoContent();
                }
            }

            throw CwErrors.MethodNotAllowed(method, request.Path);
        }

        if (!Is(rest, 1, "payments"))
        {
            throw CwErrors.NotFound($"No resource was found at {request.Path}.");
        }

        if (rest.Length == 2 && HttpMethods.IsPost(method))
        {
            var body = await ReadJsonAsync(context);
            lock (site.Gate)
            {
                return Created(site.PaymentJson(site.AddPayment(invoiceId, body, actor), actor.BaseUrl));
            }
        }

        if (rest.Length == 2 || (rest.Length == 3 && Is(rest, 2, "count")))
        {
            RequireGet(method, request.Path);
            return Collection(request, site, CwFieldMap.Payment, rest[2..], "Payment", () =>
            {
                var invoice = site.RequireInvoice(invoiceId);
                return [.. invoice.PaymentIds.Select(id => site.PaymentJson(site.Payments[id], actor.BaseUrl))];
            });
        }

        if (rest.Length == 3)
        {
            var paymentId = ParseId(rest[2], "Payment");
            if (HttpMethods.IsGet(method))
            {
                lock (site.Gate)
                {
                    return Ok(site.PaymentJson(site.RequirePayment(invoiceId, paymentId), actor.BaseUrl));
                }
            }

            if (HttpMethods.IsDelete(method))
            {
                lock (site.Gate)
                {
                    site.DeletePayment(invoiceId, paymentId, actor);
                    return NoContent();
                }
            }

            throw CwErrors.MethodNotAllowed(method, request.Path);
        }

        throw CwErrors.NotFound($"No resource was found at {request.Path}.");
    }
}
