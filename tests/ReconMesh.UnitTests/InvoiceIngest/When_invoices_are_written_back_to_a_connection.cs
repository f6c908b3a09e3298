using System.Diagnostics;
using ReconMesh.InvoiceIngest.Sync;

namespace ReconMesh.UnitTests.InvoiceIngest;

/// <summary>
/// InvoiceIngest records the balance each write-back left, but the integration's own changes still have to be read. A
/// connection's sync is woken once a page's worth of its invoices were written back since its last pass
/// (<see cref="SyncTrigger.WrittenBack"/>), so a burst of payments is confirmed a page or two at a time while it lasts,
/// not in one read of the whole burst at the next poll. The wake carries the payment's trace, which the pass takes.
/// </summary>
[TestFixture]
public sealed class When_invoices_are_written_back_to_a_connection
{
    private const int WakeAt = 1_000;
    private static readonly Guid Connection = Guid.Parse("0f4b2f4c-7a51-4d39-9d6e-5b3f1b2a9c01");
    private static readonly Guid Other = Guid.Parse("6c0e7d55-2f6a-4d0b-8a8f-3b1c9e4d2a77");

    private static ActivityContext Trace() => new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

    [Test]
    public void Should_leave_fewer_than_a_page_to_the_poll()
    {
        var trigger = new SyncTrigger();

        trigger.WrittenBack(Connection, WakeAt - 1, WakeAt, Trace());

        Assert.That(trigger.TakeCauses(Connection), Is.Empty);
    }

    [Test]
    public void Should_wake_the_sync_with_the_write_back_that_makes_a_page()
    {
        var trigger = new SyncTrigger();
        var last = Trace();

        trigger.WrittenBack(Connection, 600, WakeAt, Trace());
        trigger.WrittenBack(Connection, 400, WakeAt, last);

        Assert.That(trigger.TakeCauses(Connection), Is.EqualTo(new[] { last }));
    }

    [Test]
    public void Should_wake_it_once_until_the_pass_starts()
    {
        var trigger = new SyncTrigger();
        var first = Trace();

        trigger.WrittenBack(Connection, WakeAt, WakeAt, first);
        trigger.WrittenBack(Connection, WakeAt, WakeAt, Trace());

        Assert.That(trigger.TakeCauses(Connection), Is.EqualTo(new[] { first }));
    }

    [Test]
    public void Should_count_again_from_the_pass_that_read_them()
    {
        var trigger = new SyncTrigger();
        trigger.WrittenBack(Connection, WakeAt, WakeAt, Trace());
        trigger.TakeCauses(Connection);
        var next = Trace();

        trigger.WrittenBack(Connection, WakeAt - 1, WakeAt, Trace());
        var beforeAPage = trigger.TakeCauses(Connection);
        trigger.WrittenBack(Connection, WakeAt - 1, WakeAt, Trace());
        trigger.WrittenBack(Connection, 1, WakeAt, next);

        Assert.Multiple(() =>
        {
            Assert.That(beforeAPage, Is.Empty);
            Assert.That(trigger.TakeCauses(Connection), Is.EqualTo(new[] { next }));
        });
    }

    [Test]
    public void Should_count_each_connection_apart()
    {
        var trigger = new SyncTrigger();

        trigger.WrittenBack(Connection, WakeAt - 1, WakeAt, Trace());
        trigger.WrittenBack(Other, 1, WakeAt, Trace());

        Assert.Multiple(() =>
        {
            Assert.That(trigger.TakeCauses(Connection), Is.Empty);
            Assert.That(trigger.TakeCauses(Other), Is.Empty);
        });
    }

    [Test]
    public void Should_leave_everything_to_the_poll_when_switched_off()
    {
        var trigger = new SyncTrigger();

        trigger.WrittenBack(Connection, 50_000, wakeAt: 0, Trace());

        Assert.That(trigger.TakeCauses(Connection), Is.Empty);
    }
}
