using Marten;
using ReconMesh.Domain.Invoices;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.Integrations.Connections;
using ReconMesh.Contracts;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.EventSourcing.Store;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// One sync pass of a connection: the initial sync of open invoices page by page, then incremental reads of what
/// changed. Each page's events and the cursor after it are saved in one transaction, while the next page is read
/// (<see cref="ReadAhead"/>). An invoice's stream gets an event only when the invoice differs from what its stream
/// already says.
/// </summary>
public sealed partial class InvoiceSync(
    IDocumentStore store, IEnumerable<IInvoiceSource> sources, SyncTrigger trigger, InvoiceStreamGate gate, TimeProvider clock)
{
    /// <summary>
    /// Incremental reads start this much before what the last pass certainly saw (<see cref="NextChangedSince"/>), to
    /// tolerate clock skew and changes an integration shows late. With bounded change reads, only the settling reads do.
    /// </summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(1);

    public sealed record Result(int PagesRead, int InvoicesRead, int EventsAppended);

    /// <summary>Pages read again in one pass because an invoice's stream moved while the page was decided.</summary>
    private const int MaxConflictsPerPass = 20;

    /// <summary>Full reads an initial sync makes at most while deletions keep shifting its pages.</summary>
    public const int MaxFullReads = 3;

    public async Task<Result> RunAsync(ConnectionSettings connection, CancellationToken cancellationToken)
    {
        var source = sources.FirstOrDefault(s => s.Kind == connection.Kind)
            ?? throw new NotSupportedException($"Syncing invoices from {connection.Kind} is not supported.");
        int pages = 0, read = 0, appended = 0, conflicts = 0;
        InvoicePage? conflicted = null;
        DateTimeOffset? passStartedAt = null;
        DateTimeOffset? passAnsweredAt = null;
        await using var ahead = new ReadAhead(cancellationToken);
        while (true)
        {
            await using var session = store.LightweightSession();
            var cursor = await session.LoadAsync<SyncCursor>(connection.Id, cancellationToken) ?? new SyncCursor { Id = connection.Id };
            var now = clock.GetUtcNow();
            passStartedAt ??= now;
            var initial = !cursor.InitialSyncComplete;
            if (initial)
            {
                cursor.InitialSyncStartedAt ??= now;
                cursor.FullReadStartedAt ??= cursor.InitialSyncStartedAt;
            }

            var page = conflicted ?? await ahead.TakeAsync(cursor.NextPosition, initial)
                ?? await ReadAsync(source, connection, cursor, cursor.NextPosition, now, cancellationToken);
            conflicted = null;
            passAnsweredAt ??= page.AnsweredAt;
            if (!page.IsLast)
            {
                // The next page is asked for now, and arrives while this one is decided and saved.
                var next = page.NextPosition;
                ahead.Start(next, initial, token => ReadAsync(source, connection, cursor, next, clock.GetUtcNow(), token));
            }

            var pageAppended = 0;
            var lastPage = false;
            if (!await DecideAndSaveAsync(connection.Id, session, cursor, async () =>
            {
                // An invoice the mesh has never seen is taken in only while open, in incremental passes too: the overlap
                // window would otherwise import invoices settled just before the connection was made (nothing to collect).
                pageAppended = await ApplyAsync(session, page, onlyOpenWhenNew: true, cancellationToken)
                    + await ArchiveDeletedAsync(session, connection, page, now, cancellationToken);
                await RecordRejectedAsync(session, connection, page.Rejected, now, cancellationToken);

                lastPage = page.IsLast;
                if (!lastPage)
                {
                    cursor.NextPosition = page.NextPosition;
                }
                else if (!cursor.InitialSyncComplete && ++cursor.FullReads < MaxFullReads
                    && await source.MayHaveShiftedAsync(connection, cursor.FullReadStartedAt ?? now, now, cancellationToken))
                {
                    // Invoices were deleted while the pages were read: one may have slipped between two pages. Read them all
                    // again (what is held already appends nothing); deletions are archived by the incremental passes, which
                    // start from the initial sync's start, and the reconciliations. A company so busy that every read is
                    // shifted is read MaxFullReads times, then left to the incremental passes.
                    lastPage = false;
                    cursor.NextPosition = 1;
                    cursor.FullReadStartedAt = now;
                }
                else if (!cursor.InitialSyncComplete)
                {
                    cursor.InitialSyncComplete = true;
                    cursor.NextPosition = 1;
                    StartIncremental(cursor, source);
                    // The full read was a reconciliation as of its start; deletions during it are found by the next one.
                    cursor.LastReconciledAt = cursor.InitialSyncStartedAt;
                }
                else
                {
                    cursor.NextPosition = 1;
                    MoveChangedSince(cursor, source, passAnsweredAt, page.LatestUpdate, passStartedAt.Value);
                }

                cursor.LastSyncAt = now;
            }, () => ++conflicts <= MaxConflictsPerPass, cancellationToken))
            {
                conflicted = page;
                continue;
            }

            pages++;
            read += page.RowsRead;
            appended += pageAppended;

            if (lastPage)
            {
                if (cursor.SettleUntil is not null && source is IBoundedChangeReads bounded)
                {
                    var settled = await SettleAsync(bounded, connection, Math.Max(1, pages), cancellationToken);
                    (pages, read, appended) = (pages + settled.PagesRead, read + settled.InvoicesRead, appended + settled.EventsAppended);
                }

                if (source is IDeletionCheck check)
                {
                    appended += await ReconcileAsync(connection, async (candidates, now) =>
                    {
                        var gone = await check.GoneAsync(connection, candidates, cancellationToken);
                        return session => ArchiveAsync(session, connection, gone, now, cancellationToken);
                    }, cancellationToken);
                }
                else if (source is IInvoiceRecheck recheck)
                {
                    appended += await ReconcileAsync(connection, async (candidates, now) =>
                    {
                        var current = await recheck.RecheckAsync(connection, candidates, now, cancellationToken);
                        return async session =>
                        {
                            await RecordRejectedAsync(session, connection, current.Rejected, now, cancellationToken);
                            return await ApplyAsync(session, current, onlyOpenWhenNew: true, cancellationToken)
                                + await ArchiveDeletedAsync(session, connection, current, now, cancellationToken);
                        };
                    }, cancellationToken);
                }

                ReconMeshMetrics.SyncCompleted(connection.Id, connection.Kind.ToString(), appended);
                return new Result(pages, read, appended);
            }
        }
    }

    /// <summary>
    /// Where the next incremental pass starts reading: an <paramref name="overlap"/> (<see cref="Overlap"/> unless said)
    /// before what this pass has certainly seen.
    /// That is when the integration answered the pass's first page, if it says (QuickBooks does), else the latest change
    /// the pass read; never past the pass's start on this clock, so what changed while it read later pages, or a clock
    /// ahead of ours, is read again next time. With the answer's time, a company quiet since a burst is read from a
    /// minute ago, not again and again from a minute before the burst's last change.
    /// </summary>
    public static DateTimeOffset? NextChangedSince(DateTimeOffset? seen, DateTimeOffset passStartedAt, TimeSpan? overlap = null) =>
        seen is { } at ? (at < passStartedAt ? at : passStartedAt) - (overlap ?? Overlap) : null;

    /// <summary>
    /// Decides a page (<paramref name="decide"/> appends to the session and moves the cursor) and saves its events with
    /// the cursor after it, no written-back balance being appended to the connection's invoices meanwhile. False when
    /// another replica appended to one of the page's invoices and <paramref name="retry"/> allows deciding the page again
    /// on what the streams say now (the page itself is still what the integration answered).
    /// </summary>
    private async Task<bool> DecideAndSaveAsync(Guid connectionId, IDocumentSession session, SyncCursor cursor, Func<Task> decide, Func<bool> retry,
        CancellationToken cancellationToken)
    {
        await using var writing = await gate.EnterAsync([connectionId], cancellationToken);
        await decide();
        session.Store(cursor);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (ConcurrentAppend.Lost(e) && retry())
        {
            return false;
        }
    }

    /// <summary>The page at <paramref name="position"/>: of every invoice during the initial sync, of the changed ones after it.</summary>
    private static Task<InvoicePage> ReadAsync(IInvoiceSource source, ConnectionSettings connection, SyncCursor cursor, int position,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        !cursor.InitialSyncComplete ? source.ReadAllAsync(connection, position, now, cancellationToken)
        : source is IBoundedChangeReads bounded && cursor is { ChangedSince: { } since, SettledThrough: { } settled }
            ? bounded.ReadChangedAsync(connection, since, settled < since ? settled : since, position, now, cancellationToken)
            : source.ReadChangedAsync(connection, cursor.ChangedSince ?? now - Overlap, position, now, cancellationToken);

    private async Task<int> ApplyAsync(IDocumentSession session, InvoicePage page, bool onlyOpenWhenNew, CancellationToken cancellationToken)
    {
        var appended = 0;
        var now = clock.GetUtcNow();
        var views = (await session.LoadManyAsync<InvoiceView>(cancellationToken, page.Invoices.Select(i => i.InvoiceId)))
            .ToDictionary(v => v.Id);
        foreach (var invoice in page.Invoices)
        {
            var view = views.GetValueOrDefault(invoice.InvoiceId);
            // StartStream fails the page if another replica imported the invoice meanwhile: the page is read again.
            appended += Append(session, invoice.InvoiceId, view?.Version, InvoiceDecider.DecideRead(view, invoice, onlyOpenWhenNew, now));
        }

        var contactIds = page.Contacts.ToDictionary(c => MeshIds.Customer(c.ConnectionId, c.CustomerExternalId));
        var contactViews = (await session.LoadManyAsync<BillingContactView>(cancellationToken, contactIds.Keys)).ToDictionary(v => v.Id);
        foreach (var (id, contact) in contactIds)
        {
            var view = contactViews.GetValueOrDefault(id);
            appended += Append(session, id, view?.Version, InvoiceDecider.DecideContact(view, contact));
        }

        return appended;
    }

    /// <summary>Appends what a decider decided at the version it decided on (a new stream when there was none).</summary>
    private static int Append(IDocumentSession session, Guid id, long? version, IReadOnlyList<object> events)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        if (version is { } v)
        {
            session.Events.Append(id, v + events.Count, [.. events]);
        }
        else
        {
            session.Events.StartStream(id, [.. events]);
        }

        return events.Count;
    }

    private static async Task RecordRejectedAsync(IDocumentSession session, ConnectionSettings connection,
        IReadOnlyList<RejectedInvoice> rejected, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rejected.Count == 0)
        {
            return;
        }

        var keys = rejected.Select(r => IngestException.KeyFor(connection.Id, r.ExternalId)).ToList();
        var known = (await session.LoadManyAsync<IngestException>(cancellationToken, keys)).ToDictionary(e => e.Id);
        foreach (var r in rejected)
        {
            var key = IngestException.KeyFor(connection.Id, r.ExternalId);
            var entry = known.GetValueOrDefault(key) ?? new IngestException
            {
                Id = key, TenantId = connection.TenantId, ConnectionId = connection.Id, ExternalInvoiceId = r.ExternalId, FirstSeenAt = now,
            };
            entry.Reason = r.Reason;
            entry.LastSeenAt = now;
            session.Store(entry);
        }
    }
}
