using ReconMesh.Domain.Writeback;
using static ReconMesh.DomainTests.Writeback.WritebackFacts;

namespace ReconMesh.DomainTests.Writeback;

/// <summary>
/// QuickBooks writes take no lock: two copies of one command can write at once, and the second append fails on the
/// stream's version. What was booked is then recorded after whatever the other copy decided.
/// </summary>
public class When_two_copies_of_a_write_race
{
    private static readonly WriteStep.Write Plan = (WriteStep.Write)WritebackDecider.DecideWrite(Payment(), null, Context(), Now);

    private static IReadOnlyList<object> Booked(params string[] ids) => WritebackDecider.RecordWrite(Payment(), Plan, Written(ids), null, Now);

    [Test]
    public void Should_record_the_booking_after_a_cancellation_decided_while_it_was_written()
    {
        var cancelled = Record(new WritebackCancelled(Id, "pay_9", "tenant-a", "failed before it was written", Now));
        var booking = Booked("qb-1");

        var events = WritebackDecider.RecordAfterRace(Payment(), cancelled, booking, Now);
        var after = WritebackRecord.From([new WritebackCancelled(Id, "pay_9", "tenant-a", "x", Now), .. events])!;

        Assert.Multiple(() =>
        {
            Assert.That(events, Is.EqualTo(booking));
            Assert.That((after.Written, after.Cancelled), Is.EqualTo((true, false)), "booked: the saga reverses it");
        });
    }

    [Test]
    public void Should_record_nothing_when_the_other_copy_recorded_the_same_booking()
    {
        var written = Record(Booked("qb-1").ToArray());

        Assert.That(WritebackDecider.RecordAfterRace(Payment(), written, Booked("qb-1"), Now), Is.Empty);
    }

    [Test]
    public void Should_ask_a_person_when_the_two_copies_booked_different_payments()
    {
        var written = Record(Booked("qb-1").ToArray());

        var events = WritebackDecider.RecordAfterRace(Payment(), written, Booked("qb-2"), Now);

        var attention = events.Cast<WritebackNeedsAttention>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(attention.ReasonCode, Is.EqualTo(WritebackDecider.BookedTwiceCode));
            Assert.That(attention.Reason, Does.Contain("qb-1").And.Contain("qb-2"));
        });
    }

    [Test]
    public void Should_let_the_other_copys_decision_stand_when_this_one_booked_nothing()
    {
        var waiting = Record(new WritebackAwaitingInvoices(Id, "pay_9", "tenant-a", [First], Now));

        Assert.That(WritebackDecider.RecordAfterRace(Payment(), waiting, [Attention()], Now), Is.Empty);
    }

    [Test]
    public void Should_take_turns_only_where_an_integration_has_no_idempotency_key()
    {
        var paired = (WriteStep.Write)WritebackDecider.DecideWrite(Payment(), null,
            Context(Psa, ConnectWise(Books), QuickBooks(), new Dictionary<string, InvoiceMatch>
            {
                ["1001"] = new InvoiceMatch.Found("qb-inv-1", "cust-7"), ["1002"] = new InvoiceMatch.Found("qb-inv-2", "cust-7"),
            }), Now);

        Assert.Multiple(() =>
        {
            Assert.That(Plan.NeedsExclusivity, Is.False, "QuickBooks replays a repeated requestid");
            Assert.That(paired.NeedsExclusivity, Is.True, "ConnectWise looks before it writes");
        });
    }
}
