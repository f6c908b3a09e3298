using CsCheck;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Payments;
using ReconMesh.Domain.Writeback;
using static ReconMesh.DomainTests.Payments.PaymentFacts;

namespace ReconMesh.DomainTests.Money;

/// <summary>
/// What the deciders do with amounts, for any amounts in cents: a write pays each invoice exactly its allocation and
/// carries the surcharge as reported; a refund or chargeback is of the whole payment (amount and surcharge) or is refused.
/// </summary>
public class Properties_of_money_in_the_deciders
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Books = Guid.Parse("6f1c2a4e-0000-4000-8000-000000000001");

    /// <summary>Cents: mostly everyday amounts, sometimes one cent or very large totals.</summary>
    private static readonly Gen<long> Cents = Gen.Frequency(
        (6, Gen.Long[1, 10_000_000]), (2, Gen.Const(1L)), (2, Gen.Long[1_000_000_000_000, 100_000_000_000_000]));

    private static decimal Dollars(long cents) => cents / 100m;

    [Test]
    public void A_write_pays_each_invoice_exactly_its_allocation_and_the_surcharge_as_reported() =>
        Gen.Select(Cents.Array[1, 25], Gen.Frequency((3, Gen.Const(0L)), (1, Cents))).Sample((parts, surcharge) =>
        {
            var allocations = parts.Select((c, i) => new PaymentAllocation(Guid.NewGuid(), Dollars(c))).ToList();
            var payment = new PaymentToWrite(Guid.NewGuid(), "pay_9", "tenant-a", "EUR", Now.AddMinutes(-5), allocations, Dollars(surcharge), null);
            var context = new WriteContext(
                allocations.Select((a, i) => new InvoiceFacts(a.InvoiceId, "tenant-a", Books, $"ext-{i}", $"cust-{i % 3}", $"{1000 + i}"))
                    .ToDictionary(i => i.Id),
                new ConnectionFacts(Books, "tenant-a", ReconMesh.Contracts.IntegrationKind.QuickBooksOnline, true, true, null), null, null);

            var write = (WriteStep.Write)WritebackDecider.DecideWrite(payment, null, context, Now);

            return write.Primary.Invoices.Select(i => (i.InvoiceId, i.Amount)).SequenceEqual(allocations.Select(a => (a.InvoiceId, a.Amount)))
                && write.Primary.Invoices.Sum(i => i.Amount) == Dollars(parts.Sum())
                && write.Primary.Surcharge == Dollars(surcharge)
                && write.Primary.Currency == "EUR";
        });

    [Test]
    public void A_refund_or_chargeback_is_accepted_only_for_the_whole_payment_in_its_currency() =>
        Gen.Select(Cents, Gen.Frequency((2, Gen.Const(0L)), (1, Gen.Long[1, 100_000])), Gen.Frequency((2, Gen.Const(0L)), (1, Gen.Long[-10_000, 10_000])),
            Gen.OneOf("USD", "CAD"), Gen.Bool).Sample((amount, surcharge, off, currency, chargeback) =>
        {
            var state = After(Report(amount: Dollars(amount), surcharge: Dollars(surcharge)));
            var taken = Dollars(amount + surcharge + off);
            var reversal = chargeback
                ? Chargeback(amount: taken) with { Money = (currency, taken) }
                : Refund(amount: taken, currency: currency);

            var accepted = PaymentDecider.Decide(reversal, state) is PaymentDecision.Accepted;
            return accepted == (off == 0 && currency == "USD");
        });
}
