using ReconMesh.Contracts;
using ReconMesh.Domain.Invoices;

namespace ReconMesh.DomainTests.Invoices;

/// <summary>
/// InvoiceIngest records the balance a payment written back left on its invoice without reading the invoice again, but
/// only when that balance follows from what the stream holds; anything else is confirmed by a read.
/// </summary>
public sealed class When_a_written_back_payment_reaches_its_invoice
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid Payment = Guid.Parse("0b7d2f4e-3c1a-4e8b-9f6d-5a2c1e0b9d87");

    private static InvoiceView Held(decimal balance, bool archived = false)
    {
        var id = Guid.Parse("5c3e1a9b-7d2f-4b6e-8a0c-1f9e2d3b4a56");
        var snapshot = new InvoiceSnapshot(id, "tenant-a", Guid.Parse("9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b"), IntegrationKind.QuickBooksOnline,
            "130", "1037", "58", "Amy's Bird Sanctuary", "USD", 300m, balance, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), []);
        return new InvoiceView { Id = id, Version = 1, Invoice = snapshot, Archived = archived };
    }

    [Test]
    public void The_balance_it_left_is_recorded_when_it_follows_from_the_held_one()
    {
        var decision = InvoiceDecider.DecideWrittenBack(Held(300m), 120.50m, 179.50m, Payment, At);

        Assert.That(decision.ReadToConfirm, Is.False);
        var changed = decision.Events.Cast<InvoiceChangedInIntegration>().Single();
        Assert.That(changed.Invoice.Balance, Is.EqualTo(179.50m));
        Assert.That(changed.Invoice with { Balance = 300m }, Is.EqualTo(Held(300m).Invoice), "nothing but the balance changes");
        Assert.That(changed.Changes.Single(), Does.Contain("300 -> 179.50").And.Contain(Payment.ToString()));
    }

    [Test]
    public void A_balance_already_read_records_nothing_and_reads_nothing()
    {
        var decision = InvoiceDecider.DecideWrittenBack(Held(179.50m), 120.50m, 179.50m, Payment, At);

        Assert.That(decision, Is.EqualTo(WrittenBackDecision.Nothing));
    }

    [TestCase(250, 120.50, 179.50, TestName = "An earlier change the stream has not seen yet")]
    [TestCase(300, 120.50, 100, TestName = "A change made by someone else meanwhile")]
    [TestCase(300, 0, 300.01, TestName = "A balance that rises without a refund")]
    [TestCase(100, 120.50, -20.50, TestName = "A negative balance")]
    public void Anything_else_is_confirmed_by_reading_the_invoice(decimal held, decimal applied, decimal after)
    {
        var decision = InvoiceDecider.DecideWrittenBack(Held(held), applied, after, Payment, At);

        Assert.That(decision.Events, Is.Empty);
        Assert.That(decision.ReadToConfirm, Is.True);
    }

    [Test]
    public void Invoices_the_stream_does_not_hold_or_has_archived_are_left_alone()
    {
        Assert.That(InvoiceDecider.DecideWrittenBack(null, 120.50m, 179.50m, Payment, At), Is.EqualTo(WrittenBackDecision.Nothing));
        Assert.That(InvoiceDecider.DecideWrittenBack(Held(300m, archived: true), 120.50m, 179.50m, Payment, At),
            Is.EqualTo(WrittenBackDecision.Nothing));
    }
}
