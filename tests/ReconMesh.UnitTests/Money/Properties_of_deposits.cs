using CsCheck;
using ReconMesh.Contracts.Payments;
using ReconMesh.Integrations.QuickBooks;
using ReconMesh.Integrations.Writeback;
using static ReconMesh.UnitTests.Money.MoneyGen;

namespace ReconMesh.UnitTests.Money;

/// <summary>
/// A payout becomes one deposit: a line per settled payment of its amount, the fees on lines of their own (those the
/// customers paid as surcharges apart from those the partner absorbs), and a line per reversal taken back, so the
/// deposit totals the payout to the minor unit.
/// </summary>
public sealed class Properties_of_deposits
{
    /// <summary>A payout in minor units: payments (amount with surcharge, fee, whether surcharged) and reversals.</summary>
    private static readonly Gen<DepositRequest> Request =
        Gen.Select(Currency, Gen.Select(Units, Gen.Double[0, 1], Gen.Bool).Array[1, 30], Gen.Long[1, 1_000_000].Array[0, 4], (c, payments, reversals) =>
        {
            var fees = payments.Select(p => (long)Math.Floor(p.Item1 * p.Item2)).ToArray();
            var paid = payments.Sum(p => p.Item1);
            var passedOn = payments.Select((p, i) => p.Item3 ? fees[i] : 0L).Sum();
            return new DepositRequest(Guid.NewGuid(), "po_1", c.Code, new DateOnly(2026, 12, 2), Amount(paid - fees.Sum() - reversals.Sum(), c.Digits),
                [.. payments.Select(p => new DepositedPayment(Guid.NewGuid(), ["1"], Amount(p.Item1, c.Digits)))], Amount(fees.Sum(), c.Digits),
                [.. reversals.Select((r, i) => new DepositedReversal($"old_{i}", Amount(r, c.Digits), PaymentReversalKind.ChargedBack))],
                Amount(passedOn, c.Digits));
        });

    [Test]
    public void The_deposit_totals_the_payout_exactly_its_payments_less_fees_less_reversals() =>
        Request.Sample(r =>
            r.Payments.Sum(p => p.Amount) + QuickBooksDepositLines.Deductions(r).Sum(d => d.Amount) == r.Amount);

    [Test]
    public void The_fees_are_on_lines_of_their_own_passed_on_apart_from_absorbed_and_add_up_to_the_fees() =>
        Request.Sample(r =>
        {
            var lines = QuickBooksDepositLines.Deductions(r);
            var passedOn = lines.Where(d => d.Account == QuickBooksChartOfAccounts.SurchargeIncome).ToList();
            var absorbed = lines.Where(d => d.Account == QuickBooksChartOfAccounts.Fees).ToList();
            return passedOn.Count == (r.PassedOnFees > 0m ? 1 : 0)
                && absorbed.Count == (r.Fees - r.PassedOnFees > 0m ? 1 : 0)
                && -passedOn.Sum(d => d.Amount) == r.PassedOnFees
                && -(passedOn.Sum(d => d.Amount) + absorbed.Sum(d => d.Amount)) == r.Fees;
        });

    [Test]
    public void Each_reversal_taken_back_is_a_line_of_its_amount_and_no_line_adds_money() =>
        Request.Sample(r =>
        {
            var lines = QuickBooksDepositLines.Deductions(r);
            return lines.Where(d => d.Account == QuickBooksChartOfAccounts.ReversalsClearing).Select(d => -d.Amount)
                    .SequenceEqual(r.Reversals.Select(x => x.Amount))
                && lines.All(d => d.Amount < 0m);
        });
}
