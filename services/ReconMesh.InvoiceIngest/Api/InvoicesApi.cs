using Marten;
using ReconMesh.Domain.Invoices;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.InvoiceIngest.Api;

/// <summary>
/// An invoice's current state and its full history, read from its stream. Scoped by tenant: an invoice of another
/// tenant is "not found", never shown.
/// </summary>
public static class InvoicesApi
{
    public sealed record InvoiceHistoryEntry(long Version, string Event, DateTimeOffset RecordedAt, object Data);

    public sealed record InvoiceDetails(InvoiceSnapshot Invoice, long Version, IReadOnlyList<InvoiceHistoryEntry> History);

    public static IEndpointRouteBuilder MapInvoicesApi(this IEndpointRouteBuilder endpoints)
    {
        var invoices = endpoints.MapGroup("/tenants/{tenantId}/invoices").WithTags("Invoices");
        invoices.MapGet("/{invoiceId:guid}", GetAsync);
        invoices.MapGet("/", ListAsync);
        endpoints.MapGet("/tenants/{tenantId}/ingest-exceptions", async (string tenantId, IQuerySession session, CancellationToken cancellationToken) =>
                Results.Ok(await session.Query<IngestException>().Where(e => e.TenantId == tenantId)
                    .OrderByDescending(e => e.LastSeenAt).Take(1000).ToListAsync(cancellationToken)))
            .WithTags("Invoices");
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string tenantId, Guid invoiceId, IQuerySession session, CancellationToken cancellationToken)
    {
        var view = await session.LoadAsync<InvoiceView>(invoiceId, cancellationToken);
        if (view is null || view.Invoice.TenantId != tenantId)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Invoice not found",
                detail: $"Tenant {tenantId} has no invoice {invoiceId}.");
        }

        var events = await session.Events.FetchStreamAsync(invoiceId, token: cancellationToken);
        var history = events.Select(e => new InvoiceHistoryEntry(e.Version, e.EventTypeName, e.Timestamp, e.Data)).ToList();
        return Results.Ok(new InvoiceDetails(view.Invoice, view.Version, history));
    }

    /// <summary>
    /// A page of the tenant's invoices by number; <c>open=true</c>: only those with a balance, not archived;
    /// <c>number=...</c>: only those with that number (an operator's search; several connections may use one number);
    /// <c>customer=...</c>: only those of a customer whose integration id is that, or whose name contains it (any case).
    /// </summary>
    private static async Task<IResult> ListAsync(string tenantId, IQuerySession session, bool? open, int? page, int? pageSize, string? number,
        string? customer, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(pageSize ?? 100, 1, 1000);
        var pageNumber = Math.Max(1, page ?? 1);
        var query = InvoiceViews.OfTenant(session, tenantId);
        if (open == true)
        {
            query = query.Where(v => v.Invoice.Balance > 0m && !v.Archived);
        }

        if (number is not null)
        {
            if (IdBounds.ExternalIdProblem("The invoice number", number) is { } problem)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["number"] = [problem] });
            }

            query = query.Where(v => v.Invoice.Number == number);
        }

        if (customer is not null)
        {
            if (IdBounds.ExternalIdProblem("The customer", customer) is { } problem)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["customer"] = [problem] });
            }

            var trimmed = customer.Trim();
            query = query.Where(v => v.Invoice.CustomerExternalId == trimmed
                || v.Invoice.CustomerName.Contains(trimmed, StringComparison.OrdinalIgnoreCase));
        }

        var rows = await query.OrderBy(v => v.Invoice.Number).Skip((pageNumber - 1) * size).Take(size).ToListAsync(cancellationToken);
        return Results.Ok(rows.Select(r => r.Invoice));
    }
}
