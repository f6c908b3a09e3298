using Marten;
using Microsoft.Extensions.Options;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Api;

/// <summary>
/// <c>POST /tenants/{tenantId}/connections/{connectionId}/replay</c>: anti-entropy for a consumer that missed what the bus
/// carried (a purged or deleted queue, a restored database, a new service). Announces again, from InvoiceIngest's own
/// streams, the connection (<c>ConnectionAdded</c>, if it was added through the API), each of its invoices
/// (<c>InvoiceSynced</c> with its current state, and <c>InvoiceArchived</c> if it was archived) and each billing contact
/// (<c>BillingContactSynced</c>): each stream's latest message of each kind, exactly as the relay published it, message
/// id included (<see cref="EventReplay"/>). Consumers that already have it see a repeat and change nothing; one that
/// missed it catches up. Read and published a page of streams at a time (<see cref="ReplayOptions.PageSize"/>), so a
/// connection of tens of thousands of invoices is never held in memory at once. Repeating the request is harmless.
/// <list type="bullet">
/// <item>202: every message was published (confirmed by the broker); the body counts them. Consumers handle them in their own time.</item>
/// <item>404: the tenant has no such connection serving (another tenant's, or a removed one, is not found).</item>
/// </list>
/// </summary>
public static class ReplayConnection
{
    /// <summary>How many invoices and billing contacts were announced again, and how many messages that took.</summary>
    public sealed record ReplayView(Guid ConnectionId, int Invoices, int BillingContacts, int Messages);

    public static async Task<IResult> HandleAsync(string tenantId, Guid connectionId, ConnectionCatalog catalog, IQuerySession session, EventReplay replay,
        IOptions<ReplayOptions> options, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        if (await catalog.FindAsync(connectionId, cancellationToken) is not { } connection || connection.TenantId != tenantId)
        {
            return ConnectionsApi.NotFound(tenantId, connectionId);
        }

        // The connection first, so a consumer that missed its announcement knows it before its invoices arrive.
        var messages = await replay.RepublishLatestAsync([connectionId], cancellationToken);
        var size = options.Value.PageSize;
        var (invoices, invoiceMessages) = await replay.RepublishPagesAsync((after, token) => InvoiceViews.OfConnection(session, connectionId)
            .Where(v => v.Invoice.TenantId == tenantId && v.Id > after)
            .OrderBy(v => v.Id).Select(v => v.Id).Take(size).ToListAsync(token), cancellationToken);
        var (contacts, contactMessages) = await replay.RepublishPagesAsync((after, token) => session.Query<BillingContactView>()
            .Where(v => v.Contact.TenantId == tenantId && v.Contact.ConnectionId == connectionId && v.Id > after)
            .OrderBy(v => v.Id).Select(v => v.Id).Take(size).ToListAsync(token), cancellationToken);
        var total = messages + invoiceMessages.Values.Sum() + contactMessages.Values.Sum();
        var logger = logging.CreateLogger(typeof(ReplayConnection));
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation(
                "Replayed connection {ConnectionId} of tenant {TenantId}: {Invoices} invoices, {BillingContacts} billing contacts, {Messages} messages",
                connectionId, tenantId, invoices, contacts, total);
        }

        return Results.Accepted(value: new ReplayView(connectionId, invoices, contacts, total));
    }
}
