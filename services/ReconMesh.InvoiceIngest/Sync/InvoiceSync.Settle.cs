using ReconMesh.EventSourcing.Store;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.QuickBooks;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// Where the incremental cursor moves after a pass, and the settling reads of a source with bounded change reads
/// (<see cref="IBoundedChangeReads"/>). Reading from a whole <see cref="Overlap"/> before each answer made every pass read
/// again everything changed in the last minute: a company paid at 100 invoices a second was read 6,000 invoices a pass,
/// a burst of 12,000 payments was read whole by every pass for a minute after it. Such a source's passes read from
/// <see cref="FreshOverlap"/> before the last answer instead, and each stretch of time is read once more when it is an
/// overlap old, a few pages a pass: what the integration showed late is still read, at about twice the changes.
/// </summary>
public sealed partial class InvoiceSync
{
    /// <summary>How far before the last answer a pass of a source with bounded change reads starts (to the second, as it stamps).</summary>
    public static readonly TimeSpan FreshOverlap = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The shortest stretch settled on its own: passes woken every few seconds settle every half minute, not each with a
    /// query of its own against the company's rate limit.
    /// </summary>
    public static readonly TimeSpan SettleAtLeast = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where incremental reads start once the initial sync is done. A source with bounded change reads reads fresh from
    /// <see cref="FreshOverlap"/> before the sync began, and the <see cref="Overlap"/> before that is settled a page a pass:
    /// a company whose invoices all changed in the minute before its sync (one just migrated or seeded) is not read whole
    /// again by its first pass, in one burst beside the payments (issue #14: 12,000 invoices in 1.7 s, the slowest payments
    /// of those seconds 87-93 ms). Other sources read from an overlap before the sync began.
    /// </summary>
    public static void StartIncremental(SyncCursor cursor, IInvoiceSource source)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (source is IBoundedChangeReads)
        {
            cursor.ChangedSince = cursor.InitialSyncStartedAt - FreshOverlap;
            (cursor.SettledThrough, cursor.SettleUntil, cursor.SettlePosition) = (cursor.InitialSyncStartedAt - Overlap, null, 1);
            return;
        }

        cursor.ChangedSince = cursor.InitialSyncStartedAt - Overlap;
    }

    /// <summary>
    /// After a pass's last page of changes. With bounded change reads and the integration's time of answer, the next
    /// pass starts <see cref="FreshOverlap"/> before that answer, and the stretch up to an <see cref="Overlap"/> before it
    /// is queued for settling once it is <see cref="SettleAtLeast"/> long. The first such pass read from a whole overlap
    /// before the last one's answer, so everything before an overlap before its own answer counts as settled. Otherwise
    /// the next pass starts an overlap before it. The cursor only ever moves forward.
    /// </summary>
    public static void MoveChangedSince(SyncCursor cursor, IInvoiceSource source, DateTimeOffset? answeredAt, DateTimeOffset? latestUpdate,
        DateTimeOffset passStartedAt)
    {
        if (source is IBoundedChangeReads && answeredAt is { } answered)
        {
            var settled = NextChangedSince(answered, passStartedAt)!.Value;
            cursor.SettledThrough ??= settled;
            if (cursor.SettleUntil is null && settled - cursor.SettledThrough >= SettleAtLeast)
            {
                cursor.SettleUntil = settled;
                cursor.SettlePosition = 1;
            }

            var fresh = NextChangedSince(answered, passStartedAt, FreshOverlap)!.Value;
            if (cursor.ChangedSince is not { } since || fresh > since)
            {
                cursor.ChangedSince = fresh;
            }

            return;
        }

        if (NextChangedSince(answeredAt ?? latestUpdate, passStartedAt) is { } next && next > cursor.ChangedSince)
        {
            cursor.ChangedSince = next;
        }
    }

    /// <summary>
    /// Where settling the stretch [<paramref name="since"/>, <paramref name="until"/>) stands after a page of it: settled
    /// once its last page is read; otherwise from the second of the page's latest change, read again from that second's
    /// first row. Pages come in order of change, so everything stamped before that second has been read. An invoice of the
    /// stretch changed again between two pages leaves it: paged by position alone, the rows after it would move up by one
    /// and one of them would never be read. Only a page stamped wholly in the second it started from (more changes in one
    /// second than a page holds) sends the next page on by position within that second.
    /// </summary>
    public static (DateTimeOffset SettledThrough, DateTimeOffset? SettleUntil, int SettlePosition) SettleAfter(DateTimeOffset since,
        DateTimeOffset until, InvoicePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.IsLast)
        {
            return (until, null, 1);
        }

        // Compared to the second: a later second is a page further on; the same second is the same page again.
        var second = page.LatestUpdate is { } latest ? QuickBooksQuery.Second(latest) : since;
        return second > since && second < until ? (second, until, 1) : (since, until, page.NextPosition);
    }

    /// <summary>
    /// Reads up to <paramref name="budget"/> pages (as many as the pass read of changes, at least one) of the stretch being
    /// settled, each saved with the cursor after it as the pass's pages are. What differs from the streams is appended;
    /// when the stretch's last page is saved, it is settled. Deletions are not in these answers: each pass asks for
    /// those from where settling stands (<see cref="IBoundedChangeReads.ReadChangedAsync"/>), as far back as before.
    /// </summary>
    private async Task<Result> SettleAsync(IBoundedChangeReads source, ConnectionSettings connection, int budget, CancellationToken cancellationToken)
    {
        int pages = 0, read = 0, appended = 0, conflicts = 0;
        InvoicePage? conflicted = null;
        while (pages < budget)
        {
            await using var session = store.LightweightSession();
            var cursor = await session.LoadAsync<SyncCursor>(connection.Id, cancellationToken);
            if (cursor is not { InitialSyncComplete: true, SettledThrough: { } since, SettleUntil: { } until })
            {
                break;
            }

            var now = clock.GetUtcNow();
            var page = conflicted ?? await source.ReadChangedBetweenAsync(connection, since, until, cursor.SettlePosition, now, cancellationToken);
            conflicted = null;
            var pageAppended = 0;
            if (!await DecideAndSaveAsync(connection.Id, session, cursor, async () =>
            {
                pageAppended = await ApplyAsync(session, page, onlyOpenWhenNew: true, cancellationToken);
                await RecordRejectedAsync(session, connection, page.Rejected, now, cancellationToken);
                (cursor.SettledThrough, cursor.SettleUntil, cursor.SettlePosition) = SettleAfter(since, until, page);
            }, () => ++conflicts <= MaxConflictsPerPass, cancellationToken))
            {
                conflicted = page;
                continue;
            }

            pages++;
            read += page.RowsRead;
            appended += pageAppended;
            if (page.IsLast)
            {
                break;
            }
        }

        return new Result(pages, read, appended);
    }
}
