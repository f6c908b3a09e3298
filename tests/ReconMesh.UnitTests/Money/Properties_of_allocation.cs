using CsCheck;
using ReconMesh.Contracts.Payments;
using ReconMesh.PaymentEvents.Payments;
using static ReconMesh.UnitTests.Money.MoneyGen;

namespace ReconMesh.UnitTests.Money;

/// <summary>A payment is accepted only when its allocations, each positive and in whole minor units, add up to its amount.</summary>
public sealed class Properties_of_allocation
{
    private static readonly PaymentProcessedValidator Validator = new();

    /// <summary>A currency and the allocations' amounts in its minor units (1 to 20 invoices).</summary>
    private static readonly Gen<(string Code, int Digits, long[] Parts)> Split =
        Gen.Select(Currency, Units.Array[1, 20], (c, parts) => (c.Code, c.Digits, parts));

    private static PaymentProcessed Payment(string currency, decimal amount, IEnumerable<decimal> parts) =>
        new("pay_1", "tenant-1", PaymentMethod.Card, currency, amount, 0m,
            [.. parts.Select(p => new PaymentAllocation(Guid.NewGuid(), p))], new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private static decimal Sum(IEnumerable<long> units, int digits) => units.Select(u => Amount(u, digits)).Sum();

    [Test]
    public void Should_accept_any_payment_whose_allocations_add_up_to_its_amount_exactly() =>
        Split.Sample(s => Validator.Validate(Payment(s.Code, Sum(s.Parts, s.Digits), s.Parts.Select(u => Amount(u, s.Digits)))).IsValid);

    [Test]
    public void Should_refuse_a_payment_whose_allocations_miss_its_amount_by_one_minor_unit() =>
        Gen.Select(Split, Gen.OneOf(-1L, 1L)).Sample((s, off) =>
        {
            var amount = Sum(s.Parts, s.Digits) + Amount(off, s.Digits);
            var result = Validator.Validate(Payment(s.Code, amount, s.Parts.Select(u => Amount(u, s.Digits))));
            return amount <= 0m || result.Errors.Any(e => e.PropertyName == "Allocations" && e.ErrorMessage.Contains("add up to", StringComparison.Ordinal));
        });

    [Test]
    public void Should_refuse_an_allocation_that_is_not_positive() =>
        Gen.Select(Split, Gen.Int[0, 19], Gen.Long[-1_000_000, 0]).Sample((s, at, units) =>
        {
            var parts = s.Parts.Select(u => Amount(u, s.Digits)).ToArray();
            parts[at % parts.Length] = Amount(units, s.Digits);
            return !Validator.Validate(Payment(s.Code, parts.Sum(), parts)).IsValid;
        });

    [Test]
    public void Should_refuse_an_allocation_finer_than_the_currency_rather_than_round_it() =>
        Gen.Select(Split, Gen.Int[0, 19], Gen.Int[1, 9]).Sample((s, at, tenth) =>
        {
            // A tenth of a minor unit more on one allocation, and the amount raised to match: the sum agrees, the precision does not.
            var parts = s.Parts.Select(u => Amount(u, s.Digits)).ToArray();
            parts[at % parts.Length] += Amount(tenth, s.Digits + 1);
            var result = Validator.Validate(Payment(s.Code, parts.Sum(), parts));
            return result.Errors.Any(e => e.ErrorMessage.StartsWith("An allocation has more decimal places", StringComparison.Ordinal));
        });

    [Test]
    public void Should_refuse_allocations_whose_sum_is_beyond_a_decimal_with_a_reason_not_an_overflow() =>
        Gen.Int[2, 5].Sample(n =>
        {
            var result = Validator.Validate(Payment("USD", decimal.MaxValue, Enumerable.Repeat(decimal.MaxValue / 2m + 1m, n)));
            return result.Errors.Any(e => e.ErrorMessage.Contains("more than ReconMesh can represent", StringComparison.Ordinal));
        });
}
