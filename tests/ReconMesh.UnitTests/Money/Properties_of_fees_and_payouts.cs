using CsCheck;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.PaymentEvents.Payouts;
using static ReconMesh.UnitTests.Money.MoneyGen;

namespace ReconMesh.UnitTests.Money;

/// <summary>
/// A payout reaches the bank as the payments and their surcharges less their fees, less what it takes back for
/// reversed payments, to the minor unit: that is the total the deposit must equal. A payout that does not add up, or
/// whose fee exceeds what a payment paid, is refused at the door rather than deposited wrong.
/// </summary>
public sealed class Properties_of_fees_and_payouts
{
    private static readonly PayoutPaidValidator Validator = new();

    /// <summary>One settled payment in minor units: amount, surcharge, and a fee of at most what it paid.</summary>
    private static readonly Gen<(long Amount, long Surcharge, long Fee)> Settled =
        Gen.Select(Units, Gen.Frequency((3, Gen.Const(0L)), (1, Gen.Long[1, 10_000])), Gen.Double[0, 1],
            (amount, surcharge, feeShare) => (amount, surcharge, (long)Math.Floor((amount + surcharge) * feeShare)));

    private static readonly Gen<(string Code, int Digits, (long Amount, long Surcharge, long Fee)[] Payments, long[] Reversals)> Payout =
        Gen.Select(Currency, Settled.Array[1, 30], Gen.Long[1, 1_000_000].Array[0, 3], (c, p, r) => (c.Code, c.Digits, Payments: p, Reversals: r))
            .Where(p => Gross(p.Payments) - p.Payments.Sum(x => x.Fee) - p.Reversals.Sum() > 0);

    private static long Gross((long Amount, long Surcharge, long Fee)[] payments) => payments.Sum(p => p.Amount + p.Surcharge);

    private static PayoutPaid Paid(string code, int digits, (long Amount, long Surcharge, long Fee)[] payments, long[] reversals, decimal amount) =>
        new("po_1", "tenant-1", code, amount,
            [.. payments.Select((p, i) => new PayoutPayment($"pay_{i}", Amount(p.Amount, digits), Amount(p.Fee, digits), Amount(p.Surcharge, digits)))],
            new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero),
            [.. reversals.Select((r, i) => new PayoutReversal($"old_{i}", Amount(r, digits), PaymentReversalKind.Refunded))]);

    /// <summary>The payout's amount as an accountant works it out, in decimals of the currency.</summary>
    private static decimal Net(int digits, (long Amount, long Surcharge, long Fee)[] payments, long[] reversals) =>
        payments.Sum(p => Amount(p.Amount, digits) + Amount(p.Surcharge, digits)) - payments.Sum(p => Amount(p.Fee, digits))
        - reversals.Sum(r => Amount(r, digits));

    [Test]
    public void Should_accept_a_payout_of_the_payments_and_surcharges_less_fees_and_reversals_to_the_minor_unit() =>
        Payout.Sample(p =>
        {
            var net = Net(p.Digits, p.Payments, p.Reversals);
            var fees = p.Payments.Sum(x => Amount(x.Fee, p.Digits));
            var takenBack = p.Reversals.Sum(r => Amount(r, p.Digits));
            // Fee + net (+ what was taken back) = gross, exactly, with no rounding anywhere.
            return Validator.Validate(Paid(p.Code, p.Digits, p.Payments, p.Reversals, net)).IsValid
                && net + fees + takenBack == Amount(Gross(p.Payments), p.Digits)
                && decimal.Round(net, p.Digits) == net;
        });

    [Test]
    public void Should_refuse_a_payout_one_minor_unit_off() =>
        Gen.Select(Payout, Gen.OneOf(-1L, 1L)).Sample((p, off) =>
        {
            var amount = Net(p.Digits, p.Payments, p.Reversals) + Amount(off, p.Digits);
            return amount <= 0m || Validator.Validate(Paid(p.Code, p.Digits, p.Payments, p.Reversals, amount)).Errors
                .Any(e => e.PropertyName == "Amount" && e.ErrorMessage.Contains("add up to", StringComparison.Ordinal));
        });

    [Test]
    public void Should_refuse_a_fee_larger_than_what_the_payment_paid() =>
        Gen.Select(Payout, Gen.Int[0, 29], Gen.Long[1, 1_000]).Sample((p, at, over) =>
        {
            var payments = p.Payments.ToArray();
            var i = at % payments.Length;
            payments[i] = payments[i] with { Fee = payments[i].Amount + payments[i].Surcharge + over };
            var amount = Net(p.Digits, payments, p.Reversals);
            return amount <= 0m || Validator.Validate(Paid(p.Code, p.Digits, payments, p.Reversals, amount)).Errors
                .Any(e => e.ErrorMessage == "A payment's fee cannot exceed what it paid.");
        });
}
