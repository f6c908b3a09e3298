using ReconMesh.Domain.Writeback;
using static ReconMesh.DomainTests.Writeback.WritebackFacts;

namespace ReconMesh.DomainTests.Writeback;

public class When_a_PSA_is_paired_with_its_books
{
    private static WriteContext Paired(IReadOnlyDictionary<string, InvoiceMatch>? matches = null) =>
        Context(connection: Psa, primary: ConnectWise(secondary: Books), secondary: QuickBooks(), matches: matches);

    private static readonly Dictionary<string, InvoiceMatch> BothFound = new()
    {
        ["1001"] = new InvoiceMatch.Found("qb-inv-1", "qb-cust-1"),
        ["1002"] = new InvoiceMatch.Found("qb-inv-2", "qb-cust-1"),
    };

    [Test]
    public void Should_look_up_every_invoice_number_in_the_books_before_writing_anything()
    {
        var step = WritebackDecider.DecideWrite(Payment(), null, Paired(), Now);

        Assert.That(step, Is.EqualTo(new WriteStep.FindInSecondary(Books, ["1001", "1002"])).Using<WriteStep>((a, b) =>
            a is WriteStep.FindInSecondary x && b is WriteStep.FindInSecondary y && x.SecondaryConnectionId == y.SecondaryConnectionId
            && x.Numbers.SequenceEqual(y.Numbers)));
    }

    [Test]
    public void Should_write_both_with_each_invoice_matched_by_its_number()
    {
        var plan = (WriteStep.Write)WritebackDecider.DecideWrite(Payment(), null, Paired(BothFound), Now);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Primary.Invoices.Select(i => i.ExternalInvoiceId), Is.EqualTo(new[] { "ext-1001", "ext-1002" }));
            Assert.That(plan.Secondary!.Invoices.Select(i => (i.ExternalInvoiceId, i.CustomerExternalId, i.Amount)),
                Is.EqualTo(new[] { ("qb-inv-1", "qb-cust-1", 100m), ("qb-inv-2", "qb-cust-1", 25.10m) }));
        });
    }

    [TestCase("ambiguous", "secondary-invoice-ambiguous")]
    [TestCase("missing", "secondary-invoice-missing")]
    public void Should_write_to_neither_when_an_invoice_has_no_single_counterpart(string how, string reasonCode)
    {
        var matches = new Dictionary<string, InvoiceMatch>(BothFound)
        {
            ["1002"] = how == "ambiguous" ? new InvoiceMatch.Ambiguous(["a", "b"]) : new InvoiceMatch.NotFound(),
        };

        var step = (WriteStep.Record)WritebackDecider.DecideWrite(Payment(), null, Paired(matches), Now);

        Assert.That(step.Events.Cast<WritebackNeedsAttention>().Single().ReasonCode, Is.EqualTo(reasonCode));
    }

    [Test]
    public void Should_not_write_to_the_books_when_the_PSA_refused()
    {
        var plan = (WriteStep.Write)WritebackDecider.DecideWrite(Payment(), null, Paired(BothFound), Now);

        Assert.Multiple(() =>
        {
            Assert.That(WritebackDecider.SecondaryAfter(plan, new WritebackOutcome.NeedsAttention("x", "y")), Is.Null);
            Assert.That(WritebackDecider.SecondaryAfter(plan, Written("cw-1")), Is.SameAs(plan.Secondary));
        });
    }

    [Test]
    public void Should_record_the_books_first_so_the_saga_hears_of_the_pair_once_both_are_written()
    {
        var plan = (WriteStep.Write)WritebackDecider.DecideWrite(Payment(), null, Paired(BothFound), Now);

        var events = WritebackDecider.RecordWrite(Payment(), plan, Written("cw-1"), Written("qb-1"), Now).Cast<PaymentStatusWrittenBack>().ToList();

        Assert.That(events.Select(e => (e.ConnectionId, e.ToSecondary)), Is.EqualTo(new[] { (Books, true), (Psa, false) }));
    }

    [Test]
    public void Should_name_what_was_written_when_the_books_need_a_person()
    {
        var plan = (WriteStep.Write)WritebackDecider.DecideWrite(Payment(), null, Paired(BothFound), Now);

        var events = WritebackDecider.RecordWrite(Payment(), plan, Written("cw-1"), new WritebackOutcome.NeedsAttention("invoice-voided", "voided"), Now);

        Assert.Multiple(() =>
        {
            Assert.That(events[0], Is.TypeOf<PaymentWrittenToPrimaryOnly>());
            Assert.That(((WritebackNeedsAttention)events[1]).Reason, Does.StartWith("Written to ConnectWisePsa (payment cw-1) but not to QuickBooksOnline"));
            var record = WritebackRecord.From(events)!;
            Assert.That((record.Written, record.AwaitingPerson, record.ExternalPaymentIds.Single()), Is.EqualTo((false, true, "cw-1")));
        });
    }
}
