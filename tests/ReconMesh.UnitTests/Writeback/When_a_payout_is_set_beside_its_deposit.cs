using ReconMesh.WritebackService.Payouts;

namespace ReconMesh.UnitTests.Writeback;

/// <summary>How an operator's list compares a payout with its deposit: from the payout's writeback events alone.</summary>
public sealed class When_a_payout_is_set_beside_its_deposit
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [TestCase(120.50, 120.50, "Matched", false)]
    [TestCase(120.50, 120.49, "Mismatched", true)]
    public void A_deposit_matches_only_for_the_payouts_amount(decimal payout, decimal deposit, string match, bool attention)
    {
        var record = PayoutRecord.Next(null, Id,
            new PayoutDepositRecorded(Id, "po_1", "t", Guid.NewGuid(), "dep-9", deposit, 3.20m, At, "USD", payout, At, "35", 2))!;

        Assert.That((record.Match, record.NeedsAttention, record.DepositAmount, record.PayoutAmount, record.DepositAccountId),
            Is.EqualTo((match, attention, deposit, payout, "35")));
    }

    [Test]
    public void A_deposit_recorded_before_the_payouts_amount_was_kept_cannot_be_compared()
    {
        var record = PayoutRecord.Next(null, Id, new PayoutDepositRecorded(Id, "po_1", "t", Guid.NewGuid(), "dep-9", 10m, 1m, At))!;

        Assert.That((record.Match, record.NeedsAttention), Is.EqualTo((PayoutMatch.Unknown, false)));
    }

    [Test]
    public void A_payout_not_deposited_needs_attention_and_one_the_connection_skips_does_not()
    {
        var refused = PayoutRecord.Next(null, Id,
            new PayoutDepositNeedsAttention(Id, "po_1", "t", "payment-reversed", "reversed", At, "USD", 50m, 1m, At, 1))!;
        var skipped = PayoutRecord.Next(null, Id, new PayoutDepositSkipped(Id, "po_2", "t", Guid.NewGuid(), 50m, 1m, At, "USD", At, 1))!;

        Assert.That((refused.Match, refused.NeedsAttention, refused.ReasonCode), Is.EqualTo((PayoutMatch.NotDeposited, true, "payment-reversed")));
        Assert.That((skipped.Match, skipped.NeedsAttention), Is.EqualTo((PayoutMatch.NotRecorded, false)));
    }

    [Test]
    public void Another_event_leaves_the_record_as_it_was() =>
        Assert.That(PayoutRecord.Next(null, Id, "something else"), Is.Null);
}
