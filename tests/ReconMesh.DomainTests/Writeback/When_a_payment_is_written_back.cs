using ReconMesh.Domain.Writeback;
using static ReconMesh.DomainTests.Writeback.WritebackFacts;

namespace ReconMesh.DomainTests.Writeback;

public class When_a_payment_is_written_back
{
    [Test]
    public void Should_plan_one_write_of_every_allocation_to_the_invoices_connection()
    {
        var step = WritebackDecider.DecideWrite(Payment(), null, Context(), Now);

        var write = (WriteStep.Write)step;
        Assert.Multiple(() =>
        {
            Assert.That(write.PrimaryConnection.Id, Is.EqualTo(Books));
            Assert.That(write.Secondary, Is.Null);
            Assert.That(write.Primary.Invoices.Select(i => (i.ExternalInvoiceId, i.Amount)),
                Is.EqualTo(new[] { ("ext-1001", 100m), ("ext-1002", 25.10m) }));
            Assert.That(write.Primary.PaidOn, Is.EqualTo(new DateOnly(2026, 12, 1)));
        });
    }

    private static IEnumerable<TestCaseData> Settled()
    {
        yield return new TestCaseData(Record(WrittenBack(Books))).SetArgDisplayNames("written");
        yield return new TestCaseData(Record(Attention())).SetArgDisplayNames("waiting for a person");
        yield return new TestCaseData(Record(Attention(), new ExceptionDismissed(Id, "tenant-a", "ops", "paid by cheque", Now)))
            .SetArgDisplayNames("dismissed");
    }

    [TestCaseSource(nameof(Settled))]
    public void Should_repeat_nothing_for_a_payment_already_settled(WritebackRecord record)
    {
        Assert.That(WritebackDecider.DecideWrite(Payment(), record, Context(), Now), Is.TypeOf<WriteStep.AlreadyDone>());
    }

    [Test]
    public void Should_write_again_after_a_person_asked_for_a_retry()
    {
        var record = Record(Attention(), new ExceptionRetryRequested(Id, "tenant-a", "ops", Now));

        Assert.That(WritebackDecider.DecideWrite(Payment(), record, Context(), Now), Is.TypeOf<WriteStep.Write>());
    }

    [Test]
    public void Should_wait_for_invoices_not_synced_yet()
    {
        var context = Context() with { Invoices = new Dictionary<Guid, InvoiceFacts> { [First] = Invoice(First, Books, "1001") } };

        var step = (WriteStep.Record)WritebackDecider.DecideWrite(Payment(), null, context, Now);

        Assert.That(step.Events.Cast<WritebackAwaitingInvoices>().Single().InvoiceIds, Is.EqualTo(new[] { Second }));
    }

    private static IEnumerable<TestCaseData> Unwritable()
    {
        var other = Guid.NewGuid();
        yield return new TestCaseData(Context() with
        {
            Invoices = new Dictionary<Guid, InvoiceFacts> { [First] = Invoice(First, Books, "1001", tenant: "tenant-b"), [Second] = Invoice(Second, Books, "1002") },
        }, "invoice-of-another-tenant").SetArgDisplayNames("another tenant's invoice");
        yield return new TestCaseData(Context() with
        {
            Invoices = new Dictionary<Guid, InvoiceFacts> { [First] = Invoice(First, Books, "1001"), [Second] = Invoice(Second, other, "1002") },
        }, "allocations-span-connections").SetArgDisplayNames("two connections");
        yield return new TestCaseData(Context(primary: null) with { Primary = null }, "connection-unknown").SetArgDisplayNames("unknown connection");
        yield return new TestCaseData(Context(primary: null) with { Primary = null, Removed = new ConnectionRemoval(Books, "ops", Now.AddHours(-1)) },
            "connection-removed").SetArgDisplayNames("removed connection");
        yield return new TestCaseData(Context(primary: QuickBooks() with { CanWrite = false }), "integration-unsupported").SetArgDisplayNames("no adapter");
        yield return new TestCaseData(Context(primary: ConnectWise(secondary: Books), connection: Psa), "connection-unknown")
            .SetArgDisplayNames("pair not configured");
        yield return new TestCaseData(Context(primary: ConnectWise(secondary: Books), connection: Psa, secondary: QuickBooks(tenant: "tenant-b")),
            "connection-unknown").SetArgDisplayNames("pair of another tenant");
    }

    [TestCaseSource(nameof(Unwritable))]
    public void Should_write_nothing_and_ask_a_person_when_no_rule_allows_the_write(WriteContext context, string reasonCode)
    {
        var step = WritebackDecider.DecideWrite(Payment(), null, context, Now);

        Assert.That(step, Is.TypeOf<WriteStep.Record>());
        Assert.That(((WriteStep.Record)step).Events.Cast<WritebackNeedsAttention>().Single().ReasonCode, Is.EqualTo(reasonCode));
    }

    [Test]
    public void Should_record_what_the_integration_refused_as_needing_attention()
    {
        var plan = (WriteStep.Write)WritebackDecider.DecideWrite(Payment(), null, Context(), Now);

        var events = WritebackDecider.RecordWrite(Payment(), plan, new WritebackOutcome.NeedsAttention("invoice-voided", "voided"), null, Now);

        Assert.That(events.Cast<WritebackNeedsAttention>().Single().ConnectionId, Is.EqualTo(Books));
    }

    [Test]
    public void Should_record_the_written_payment_with_its_connection()
    {
        var plan = (WriteStep.Write)WritebackDecider.DecideWrite(Payment(), null, Context(), Now);

        var written = WritebackDecider.RecordWrite(Payment(), plan, Written("qb-1"), null, Now).Cast<PaymentStatusWrittenBack>().Single();

        Assert.That((written.ConnectionId, written.ExternalPaymentIds.Single(), written.ToSecondary), Is.EqualTo((Books, "qb-1", false)));
        Assert.That(WritebackRecord.From([written])!.Written, Is.True);
    }
}
