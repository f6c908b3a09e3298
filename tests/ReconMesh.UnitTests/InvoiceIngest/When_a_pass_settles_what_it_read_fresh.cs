using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.InvoiceIngest.Sync;

namespace ReconMesh.UnitTests.InvoiceIngest;

/// <summary>
/// Where a pass leaves the cursor of a source with bounded change reads (<see cref="InvoiceSync.MoveChangedSince"/>): the
/// next pass reads from a few seconds before the integration answered, and the stretch up to a minute before it waits to
/// be read once more (settled), so a change the integration showed late is still read, without every pass reading the
/// last minute again. A source without them keeps the minute's overlap on every pass.
/// </summary>
[TestFixture]
public sealed class When_a_pass_settles_what_it_read_fresh
{
    private static readonly DateTimeOffset PassStarted = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Answered = PassStarted.AddSeconds(-1);

    [Test]
    public void Should_read_next_from_just_before_the_answer_and_count_the_minute_before_as_settled_the_first_time()
    {
        var cursor = new SyncCursor { InitialSyncComplete = true, ChangedSince = PassStarted.AddMinutes(-5) };

        InvoiceSync.MoveChangedSince(cursor, new Bounded(), Answered, null, PassStarted);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cursor.ChangedSince, Is.EqualTo(Answered - InvoiceSync.FreshOverlap));
            Assert.That(cursor.SettledThrough, Is.EqualTo(Answered - InvoiceSync.Overlap), "this pass read from a minute before the last");
            Assert.That(cursor.SettleUntil, Is.Null, "nothing left to settle yet");
        }
    }

    [Test]
    public void Should_queue_the_stretch_that_is_now_a_minute_old_for_settling()
    {
        var settled = Answered.AddSeconds(-90);
        var cursor = new SyncCursor { InitialSyncComplete = true, ChangedSince = Answered.AddSeconds(-35), SettledThrough = settled };

        InvoiceSync.MoveChangedSince(cursor, new Bounded(), Answered, null, PassStarted);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cursor.SettledThrough, Is.EqualTo(settled));
            Assert.That(cursor.SettleUntil, Is.EqualTo(Answered - InvoiceSync.Overlap));
            Assert.That(cursor.SettlePosition, Is.EqualTo(1));
            Assert.That(cursor.ChangedSince, Is.EqualTo(Answered - InvoiceSync.FreshOverlap));
        }
    }

    [Test]
    public void Should_leave_a_stretch_shorter_than_half_a_minute_for_a_later_pass()
    {
        var settled = Answered - InvoiceSync.Overlap - InvoiceSync.SettleAtLeast + TimeSpan.FromSeconds(1);
        var cursor = new SyncCursor { InitialSyncComplete = true, ChangedSince = Answered.AddSeconds(-10), SettledThrough = settled };

        InvoiceSync.MoveChangedSince(cursor, new Bounded(), Answered, null, PassStarted);

        Assert.That((cursor.SettledThrough, cursor.SettleUntil), Is.EqualTo(((DateTimeOffset?)settled, (DateTimeOffset?)null)),
            "a pass woken every few seconds does not spend a query of the company's limit on each few seconds");
    }

    [Test]
    public void Should_not_move_a_stretch_being_settled()
    {
        var (settled, until) = (Answered.AddMinutes(-10), Answered.AddMinutes(-8));
        var cursor = new SyncCursor
        {
            InitialSyncComplete = true, ChangedSince = Answered.AddSeconds(-35), SettledThrough = settled, SettleUntil = until, SettlePosition = 3001,
        };

        InvoiceSync.MoveChangedSince(cursor, new Bounded(), Answered, null, PassStarted);

        Assert.That((cursor.SettledThrough, cursor.SettleUntil, cursor.SettlePosition), Is.EqualTo((settled, until, 3001)),
            "its later pages are read on the same bounds; what follows it is settled after it");
    }

    [Test]
    public void Should_keep_the_minute_without_the_answer_time()
    {
        var latest = PassStarted.AddSeconds(-20);
        var cursor = new SyncCursor { InitialSyncComplete = true, ChangedSince = PassStarted.AddMinutes(-5) };

        InvoiceSync.MoveChangedSince(cursor, new Bounded(), null, latest, PassStarted);

        Assert.That((cursor.ChangedSince, cursor.SettledThrough), Is.EqualTo((latest - InvoiceSync.Overlap, (DateTimeOffset?)null)));
    }

    [Test]
    public void Should_keep_the_minute_for_a_source_without_bounded_change_reads()
    {
        var cursor = new SyncCursor { InitialSyncComplete = true, ChangedSince = PassStarted.AddMinutes(-5) };

        InvoiceSync.MoveChangedSince(cursor, new Unbounded(), Answered, null, PassStarted);

        Assert.That((cursor.ChangedSince, cursor.SettledThrough), Is.EqualTo((Answered - InvoiceSync.Overlap, (DateTimeOffset?)null)));
    }

    [Test]
    public void Should_never_move_back()
    {
        var ahead = Answered.AddSeconds(30);
        var cursor = new SyncCursor { InitialSyncComplete = true, ChangedSince = ahead, SettledThrough = Answered.AddMinutes(-2) };

        InvoiceSync.MoveChangedSince(cursor, new Bounded(), Answered, null, PassStarted);

        Assert.That(cursor.ChangedSince, Is.EqualTo(ahead));
    }

    [Test]
    public void Should_start_after_an_initial_sync_from_just_before_it_began_and_settle_the_minute_before()
    {
        var began = PassStarted.AddMinutes(-1);
        var cursor = new SyncCursor { InitialSyncComplete = true, InitialSyncStartedAt = began, SettleUntil = began, SettlePosition = 7 };

        InvoiceSync.StartIncremental(cursor, new Bounded());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cursor.ChangedSince, Is.EqualTo(began - InvoiceSync.FreshOverlap),
                "a company changed whole just before its sync is not read whole again by the first pass");
            Assert.That(cursor.SettledThrough, Is.EqualTo(began - InvoiceSync.Overlap), "the minute before is read once more, a page a pass");
            Assert.That((cursor.SettleUntil, cursor.SettlePosition), Is.EqualTo(((DateTimeOffset?)null, 1)), "nothing of an older cursor is left");
        }
    }

    [Test]
    public void Should_start_after_an_initial_sync_from_a_minute_before_it_began_without_bounded_change_reads()
    {
        var began = PassStarted.AddMinutes(-1);
        var cursor = new SyncCursor { InitialSyncComplete = true, InitialSyncStartedAt = began };

        InvoiceSync.StartIncremental(cursor, new Unbounded());

        Assert.That((cursor.ChangedSince, cursor.SettledThrough), Is.EqualTo((began - InvoiceSync.Overlap, (DateTimeOffset?)null)));
    }

    private class Unbounded : IInvoiceSource
    {
        public IntegrationKind Kind => IntegrationKind.QuickBooksOnline;

        public Task<InvoicePage> ReadAllAsync(ConnectionSettings connection, int position, DateTimeOffset now, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not read");

        public Task<InvoicePage> ReadChangedAsync(ConnectionSettings connection, DateTimeOffset since, int position, DateTimeOffset now,
            CancellationToken cancellationToken) => throw new InvalidOperationException("not read");
    }

    private sealed class Bounded : Unbounded, IBoundedChangeReads
    {
        public Task<InvoicePage> ReadChangedAsync(ConnectionSettings connection, DateTimeOffset since, DateTimeOffset deletedSince, int position,
            DateTimeOffset now, CancellationToken cancellationToken) => throw new InvalidOperationException("not read");

        public Task<InvoicePage> ReadChangedBetweenAsync(ConnectionSettings connection, DateTimeOffset since, DateTimeOffset until, int position,
            DateTimeOffset now, CancellationToken cancellationToken) => throw new InvalidOperationException("not read");
    }
}
