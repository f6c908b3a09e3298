using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>
/// An invoice's billing status follows what it owes: paid in full, it is closed (the site's status with
/// <c>closedFlag</c>); owing again after a reversal, it goes back to the site's default open status. The statuses of
/// each connection's site are read once (they are setup tables, rarely changed).
/// </summary>
internal sealed class ConnectWiseBillingStatuses(ILogger logger)
{
    private readonly ConcurrentDictionary<Guid, Statuses> _statuses = new();

    public async Task CloseAsync(IConnectWiseApi api, ConnectionSettings connection, ConnectWiseInvoice invoice, CancellationToken cancellationToken)
    {
        var statuses = await StatusesAsync(api, connection, cancellationToken);
        if (statuses.Closed is not { } closed || statuses.IsClosed(invoice.Status?.Id))
        {
            return;
        }

        await SetAsync(api, invoice.Id, closed, cancellationToken);
        logger.Closed(invoice.Id, closed);
    }

    /// <summary>
    /// A Closed invoice with a balance again goes back to the site's default billing status: ConnectWise keeps no
    /// status history to restore, and the default status is the one a fresh, unpaid invoice has.
    /// </summary>
    public async Task ReopenAsync(IConnectWiseApi api, ConnectionSettings connection, ConnectWiseInvoice invoice, CancellationToken cancellationToken)
    {
        var statuses = await StatusesAsync(api, connection, cancellationToken);
        if ((invoice.Balance ?? 0m) <= 0m || !statuses.IsClosed(invoice.Status?.Id) || statuses.Open is not { } open)
        {
            return;
        }

        await SetAsync(api, invoice.Id, open, cancellationToken);
        logger.Reopened(invoice.Id, open);
    }

    private static Task<ConnectWiseInvoice> SetAsync(IConnectWiseApi api, int invoiceId, int statusId, CancellationToken cancellationToken) =>
        ConnectWiseException.Call(() => api.PatchInvoiceAsync(invoiceId,
            [new ConnectWisePatchOperation("replace", "status", new ConnectWiseIdReference(statusId))], cancellationToken));

    private async Task<Statuses> StatusesAsync(IConnectWiseApi api, ConnectionSettings connection, CancellationToken cancellationToken)
    {
        if (_statuses.TryGetValue(connection.Id, out var known))
        {
            return known;
        }

        var all = await ConnectWiseException.Call(() => api.ListBillingStatusesAsync(cancellationToken: cancellationToken));
        var active = all.Where(s => s.InactiveFlag != true).OrderBy(s => s.SortOrder ?? int.MaxValue).ThenBy(s => s.Id).ToList();
        var closedIds = all.Where(s => s.ClosedFlag == true).Select(s => s.Id).ToHashSet();
        var closed = active.FirstOrDefault(s => s.ClosedFlag == true)?.Id;
        var open = (active.FirstOrDefault(s => s.DefaultFlag == true && s.ClosedFlag != true) ?? active.FirstOrDefault(s => s.ClosedFlag != true))?.Id;
        if (closed is null)
        {
            logger.NoClosedStatus(connection.Id);
        }

        return _statuses[connection.Id] = new Statuses(closed, open, closedIds);
    }

    /// <summary>The Closed and the default open billing status of a site, and every status that counts as closed.</summary>
    private sealed record Statuses(int? Closed, int? Open, HashSet<int> ClosedIds)
    {
        public bool IsClosed(int? statusId) => statusId is { } id && ClosedIds.Contains(id);
    }
}
