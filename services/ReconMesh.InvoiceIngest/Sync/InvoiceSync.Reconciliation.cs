using Marten;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.Domain.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// The part of a sync pass that its pages cannot do: checking the invoices held open against an integration whose
/// change feed misses some changes (deletions in ConnectWise and past QuickBooks' change data capture; paid dates set to
/// an earlier day in Autotask), and archiving what the integration reports deleted or voided.
/// </summary>
public sealed partial class InvoiceSync
{
    /// <summary>
    /// For an integration whose change feed misses some changes, once the initial sync is done: checks the invoices a
    /// callback said were deleted, and, when the reconciliation is due (or an operator asked for it), every invoice held
    /// open, with <paramref name="check"/>, which asks the integration and answers what to append: archiving those gone
    /// (<see cref="IDeletionCheck"/>), or taking in each one's current state (<see cref="IInvoiceRecheck"/>). In its own
    /// transaction, after the pass's pages; no written-back balance is appended while it is decided and saved.
    /// </summary>
    private async Task<int> ReconcileAsync(ConnectionSettings connection,
        Func<IReadOnlyCollection<string>, DateTimeOffset, Task<Func<IDocumentSession, Task<int>>>> check, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var cursor = await session.LoadAsync<SyncCursor>(connection.Id, cancellationToken);
        if (cursor is not { InitialSyncComplete: true })
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var suspects = trigger.TakeSuspects(connection.Id);
        var reconcile = trigger.TakeReconciliationRequest(connection.Id)
            || cursor.LastReconciledAt is not { } last || now - last >= connection.ReconcileInterval;
        if (!reconcile && suspects.Count == 0)
        {
            return 0;
        }

        try
        {
            IReadOnlyCollection<string> candidates = suspects;
            if (reconcile)
            {
                var open = await InvoiceViews.OfConnection(session, connection.Id)
                    .Where(v => !v.Archived && v.Invoice.Balance > 0m)
                    .Select(v => v.Invoice.ExternalId).ToListAsync(cancellationToken);
                candidates = [.. open.Union(suspects, StringComparer.Ordinal)];
                cursor.LastReconciledAt = now;
                session.Store(cursor);
            }

            var apply = await check(candidates, now);
            await using var writing = await gate.EnterAsync([connection.Id], cancellationToken);
            var appended = await apply(session);
            await session.SaveChangesAsync(cancellationToken);
            return appended;
        }
        catch
        {
            trigger.ReturnSuspects(connection.Id, suspects);
            throw;
        }
    }

    /// <summary>Invoices the integration reports deleted or voided for good: archived once, with the reason, and changed no more.</summary>
    private static async Task<int> ArchiveDeletedAsync(IDocumentSession session, ConnectionSettings connection, InvoicePage page, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        await ArchiveAsync(session, connection, page.Deleted ?? [], now, cancellationToken)
        + await ArchiveAsync(session, connection, page.Voided ?? [], now, cancellationToken, "voided");

    private static async Task<int> ArchiveAsync(IDocumentSession session, ConnectionSettings connection, IReadOnlyList<string> deleted,
        DateTimeOffset now, CancellationToken cancellationToken, string how = "deleted")
    {
        if (deleted.Count == 0)
        {
            return 0;
        }

        var ids = deleted.Select(externalId => MeshIds.Invoice(connection.Id, externalId));
        var appended = 0;
        foreach (var view in await session.LoadManyAsync<InvoiceView>(cancellationToken, ids))
        {
            appended += Append(session, view.Id, view.Version, InvoiceDecider.DecideArchive(view, $"{how} in {view.Invoice.Integration}", now));
        }

        return appended;
    }
}
