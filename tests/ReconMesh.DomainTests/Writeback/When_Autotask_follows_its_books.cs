using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using PaymentStatusWrittenBack = ReconMesh.Domain.Writeback.PaymentStatusWrittenBack;
using static ReconMesh.DomainTests.Writeback.WritebackFacts;

namespace ReconMesh.DomainTests.Writeback;

/// <summary>
/// Autotask keeps no amounts, only an invoice's paid mark: paired with QuickBooks Online or Xero, the money is booked
/// there and Autotask's mark follows what the books then owe.
/// </summary>
public class When_Autotask_follows_its_books
{
    private static ConnectionFacts Autotask(Guid? secondary) =>
        new(Psa, "tenant-a", IntegrationKind.AutotaskPsa, CanWrite: true, CanFindByNumber: false, secondary, StatusOnly: true);

    private static readonly Dictionary<string, InvoiceMatch> BothFound = new()
    {
        ["1001"] = new InvoiceMatch.Found("qb-inv-1", "qb-cust-1"),
        ["1002"] = new InvoiceMatch.Found("qb-inv-2", "qb-cust-1"),
    };

    private static WriteStep.Write Plan() =>
        (WriteStep.Write)WritebackDecider.DecideWrite(Payment(), null,
            Context(connection: Psa, primary: Autotask(secondary: Books), secondary: QuickBooks(), matches: BothFound), Now);

    /// <summary>The books' answer: the first invoice settled, the second still owing <paramref name="secondOwes"/>.</summary>
    private static WritebackOutcome.Written BooksSay(decimal secondOwes) =>
        new(secondOwes == 0m ? PaymentWritebackStatus.Paid : PaymentWritebackStatus.PartiallyPaid, ["qb-1"],
            [new WrittenBackInvoice(First, "qb-inv-1", 100m, 0m), new WrittenBackInvoice(Second, "qb-inv-2", 25.10m, secondOwes)]);

    private static readonly WritebackOutcome.Written Marked = new(PaymentWritebackStatus.Paid, ["ext-1001"], []);

    [Test]
    public void Should_write_nothing_for_an_Autotask_connection_without_accounting()
    {
        var step = (WriteStep.Record)WritebackDecider.DecideWrite(Payment(), null, Context(connection: Psa, primary: Autotask(secondary: null)), Now);

        var attention = step.Events.Cast<WritebackNeedsAttention>().Single();
        Assert.Multiple(() =>
        {
            Assert.That((attention.ReasonCode, attention.ConnectionId), Is.EqualTo((WritebackDecider.UnpairedStatusOnlyCode, (Guid?)Psa)));
            Assert.That(attention.Reason, Does.Contain("paired with QuickBooks Online or Xero").And.Contain("nothing was written"));
        });
    }

    [Test]
    public void Should_plan_the_books_after_the_check_and_the_mark_after_the_books()
    {
        var plan = Plan();

        Assert.Multiple(() =>
        {
            Assert.That(plan.StatusFollowsBooks, Is.True);
            Assert.That(plan.NeedsExclusivity, Is.True, "a PATCH has no idempotency key");
            Assert.That(plan.Secondary!.Invoices.Select(i => i.ExternalInvoiceId), Is.EqualTo(new[] { "qb-inv-1", "qb-inv-2" }));
        });
    }

    [Test]
    public void Should_mark_paid_only_the_invoices_the_books_say_are_settled()
    {
        var plan = Plan();

        Assert.Multiple(() =>
        {
            Assert.That(WritebackDecider.StatusAfter(plan, BooksSay(secondOwes: 0m))!.Invoices.Select(i => i.ExternalInvoiceId),
                Is.EqualTo(new[] { "ext-1001", "ext-1002" }));
            Assert.That(WritebackDecider.StatusAfter(plan, BooksSay(secondOwes: 4.90m))!.Invoices.Select(i => i.ExternalInvoiceId),
                Is.EqualTo(new[] { "ext-1001" }), "a partial payment leaves its invoice open in Autotask");
            Assert.That(WritebackDecider.StatusAfter(plan, new WritebackOutcome.NeedsAttention("invoice-balance-changed", "x")), Is.Null,
                "nothing is marked when the books did not take the money");
            Assert.That(WritebackDecider.StatusAfter(plan, BooksSay(secondOwes: 4.90m), readAfter: BooksSay(secondOwes: 0m))!.Invoices.Count, Is.EqualTo(2),
                "the books read after the write: another payment settled the second meanwhile");
        });
    }

    [Test]
    public void Should_write_nowhere_when_Autotask_refuses_first()
    {
        var events = WritebackDecider.RecordStatusWrite(Payment(), Plan(), new WritebackOutcome.NeedsAttention("invoice-voided", "Autotask invoice 1001 was voided."),
            null, null, Now);

        var attention = events.Cast<WritebackNeedsAttention>().Single();
        Assert.Multiple(() =>
        {
            Assert.That((attention.ReasonCode, attention.ConnectionId), Is.EqualTo(("invoice-voided", (Guid?)Psa)));
            Assert.That(attention.Reason, Does.EndWith("Nothing was written to AutotaskPsa or QuickBooksOnline."));
        });
    }

    [Test]
    public void Should_write_nowhere_when_the_books_refuse()
    {
        var events = WritebackDecider.RecordStatusWrite(Payment(), Plan(), null, new WritebackOutcome.NeedsAttention("invoice-balance-changed", "paid there."),
            null, Now);

        var attention = events.Cast<WritebackNeedsAttention>().Single();
        Assert.That((attention.ReasonCode, attention.ConnectionId, attention.Reason),
            Is.EqualTo(("invoice-balance-changed", (Guid?)Books, "QuickBooksOnline did not take the payment: paid there. Nothing was written to AutotaskPsa either.")));
    }

    [Test]
    public void Should_record_the_books_then_Autotask_with_every_invoice_it_applied_to_and_the_books_balances()
    {
        var events = WritebackDecider.RecordStatusWrite(Payment(), Plan(), null, BooksSay(secondOwes: 4.90m), Marked, Now)
            .Cast<PaymentStatusWrittenBack>().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => (e.ConnectionId, e.ToSecondary)), Is.EqualTo(new[] { (Books, true), (Psa, false) }));
            Assert.That(events[1].ExternalPaymentIds, Is.EqualTo(new[] { "ext-1001", "ext-1002" }), "a reversal makes each owe again");
            Assert.That(events[1].Status, Is.EqualTo(PaymentWritebackStatus.PartiallyPaid));
            Assert.That(events[1].Invoices.Select(i => (i.ExternalInvoiceId, i.BalanceAfter)), Is.EqualTo(new[] { ("ext-1001", 0m), ("ext-1002", 4.90m) }));
        });
    }

    [Test]
    public void Should_keep_the_booking_and_ask_a_person_when_Autotask_is_not_marked()
    {
        var events = WritebackDecider.RecordStatusWrite(Payment(), Plan(), null, BooksSay(secondOwes: 0m),
            new WritebackOutcome.NeedsAttention("invoice-voided", "Autotask invoice 1002 was voided."), Now);
        var record = WritebackRecord.From(events)!;

        Assert.Multiple(() =>
        {
            Assert.That(events[0], Is.TypeOf<PaymentWrittenToSecondaryOnly>());
            Assert.That(((WritebackNeedsAttention)events[1]).Reason, Does.StartWith("Booked in QuickBooksOnline (payment qb-1) but AutotaskPsa was not marked paid"));
            Assert.That((record.Written, record.AwaitingPerson, record.SecondaryConnectionId, record.SecondaryExternalPaymentIds.Single()),
                Is.EqualTo((false, true, (Guid?)Books, "qb-1")));
        });
    }

    [Test]
    public void Should_reverse_the_money_of_a_half_written_payment_in_the_books()
    {
        var record = WritebackRecord.From(WritebackDecider.RecordStatusWrite(Payment(), Plan(), null, BooksSay(secondOwes: 0m),
            new WritebackOutcome.NeedsAttention("invoice-voided", "voided"), Now))!;

        var step = (ReverseStep.Reverse)WritebackDecider.DecideReverse(record, supersedesAttention: true, Id, "pay_9", "tenant-a",
            PaymentReversalKind.Refunded, Now);

        Assert.That(step.Targets.Select(t => (t.ConnectionId, t.ToSecondary)), Is.EqualTo(new[] { (Books, true) }));
    }

    [Test]
    public void Should_reverse_the_books_first_then_clear_Autotask()
    {
        var record = WritebackRecord.From(WritebackDecider.RecordStatusWrite(Payment(), Plan(), null, BooksSay(secondOwes: 0m), Marked, Now))!;

        var step = (ReverseStep.Reverse)WritebackDecider.DecideReverse(record, supersedesAttention: false, Id, "pay_9", "tenant-a",
            PaymentReversalKind.Failed, Now);

        Assert.That(step.Targets.Select(t => (t.ConnectionId, t.ToSecondary, string.Join(",", t.ExternalPaymentIds))),
            Is.EqualTo(new[] { (Books, true, "qb-1"), (Psa, false, "ext-1001,ext-1002") }));
    }

    [Test]
    public void Should_record_both_when_a_look_finds_the_money_in_the_books()
    {
        var look = new WriteStep.LookBeforeCancel(Plan());

        var found = WritebackDecider.RecordStatusLook(Payment("returned"), null, look, BooksSay(secondOwes: 4.90m), Now);
        var nothing = WritebackDecider.RecordStatusLook(Payment("returned"), null, look, null, Now);

        Assert.Multiple(() =>
        {
            Assert.That(found.Cast<PaymentStatusWrittenBack>().Select(e => (e.ConnectionId, e.ToSecondary)), Is.EqualTo(new[] { (Books, true), (Psa, false) }));
            Assert.That(nothing.Single(), Is.TypeOf<WritebackCancelled>());
        });
    }

    [Test]
    public void Should_record_a_money_only_booking_after_a_race_unless_the_other_copy_recorded_it()
    {
        var effects = WritebackDecider.RecordStatusWrite(Payment(), Plan(), null, BooksSay(secondOwes: 0m), new WritebackOutcome.NeedsAttention("x", "y"), Now);
        var same = WritebackRecord.From(effects);
        var cancelled = Record(new WritebackCancelled(Id, "pay_9", "tenant-a", "failed", Now));

        Assert.Multiple(() =>
        {
            Assert.That(WritebackDecider.RecordAfterRace(Payment(), cancelled, effects, Now), Is.EqualTo(effects));
            Assert.That(WritebackDecider.RecordAfterRace(Payment(), same, effects, Now), Is.Empty);
        });
    }
}
