namespace ReconMesh.WritebackService.Payouts;

/// <summary>
/// A payout beside its deposit, as its writeback stream tells (a projection of its events, kept with
/// each outcome): what the platform paid out and the fees it kept, what the books hold for it (the deposit's total, the
/// account and the integration's id), and whether the two agree. It is what an operator lists; the stream stays the truth.
/// </summary>
public sealed class PayoutRecord
{
    /// <summary>ReconMesh's payout id (the stream's id).</summary>
    public Guid Id { get; set; }

    public string TenantId { get; set; } = "";

    public string PayoutId { get; set; } = "";

    /// <summary><see cref="PayoutOutcomes"/>: Deposited, Skipped or NeedsAttention.</summary>
    public string Outcome { get; set; } = "";

    public string? Currency { get; set; }

    /// <summary>What the platform paid out; null for a payout decided before the amount was kept with the outcome.</summary>
    public decimal? PayoutAmount { get; set; }

    public decimal? Fees { get; set; }

    public int? Payments { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>The deposit's total as the books recorded it; null when nothing was deposited.</summary>
    public decimal? DepositAmount { get; set; }

    public string? ExternalDepositId { get; set; }

    public Guid? ConnectionId { get; set; }

    public string? DepositAccountId { get; set; }

    public string? ReasonCode { get; set; }

    public string? Reason { get; set; }

    /// <summary>When WritebackService decided (deposited, skipped or gave up).</summary>
    public DateTimeOffset DecidedAt { get; set; }

    /// <summary><see cref="PayoutMatch"/>: how the deposit compares with the payout.</summary>
    public string Match { get; set; } = "";

    /// <summary>A deposit that differs from its payout, or none where one was due (<see cref="PayoutMatch.NeedsAttention"/>).</summary>
    public bool NeedsAttention { get; set; }

    /// <summary>The events <see cref="Next"/> folds (a payout's stream holds only these); any other leaves the record as it is.</summary>
    public static readonly Type[] EventTypes = [typeof(PayoutDepositRecorded), typeof(PayoutDepositSkipped), typeof(PayoutDepositNeedsAttention)];

    public static PayoutRecord? Next(PayoutRecord? record, Guid id, object @event) => Compared(Decided(record, id, @event));

    private static PayoutRecord? Compared(PayoutRecord? record)
    {
        if (record is not null)
        {
            record.Match = PayoutMatch.Of(record.Outcome, record.PayoutAmount, record.DepositAmount);
            record.NeedsAttention = PayoutMatch.NeedsAttention(record.Match);
        }

        return record;
    }

    private static PayoutRecord? Decided(PayoutRecord? record, Guid id, object @event) => @event switch
    {
        PayoutDepositRecorded d => new PayoutRecord
        {
            Id = id, TenantId = d.TenantId, PayoutId = d.PayoutId, Outcome = PayoutOutcomes.Deposited, Currency = d.Currency, PayoutAmount = d.PayoutAmount,
            Fees = d.Fees, Payments = d.Payments, PaidAt = d.PaidAt, DepositAmount = d.Amount, ExternalDepositId = d.ExternalDepositId,
            ConnectionId = d.ConnectionId, DepositAccountId = d.DepositAccountId, DecidedAt = d.RecordedAt,
        },
        PayoutDepositSkipped s => new PayoutRecord
        {
            Id = id, TenantId = s.TenantId, PayoutId = s.PayoutId, Outcome = PayoutOutcomes.Skipped, Currency = s.Currency, PayoutAmount = s.Amount,
            Fees = s.Fees, Payments = s.Payments, PaidAt = s.PaidAt, ConnectionId = s.ConnectionId, DecidedAt = s.SkippedAt,
        },
        PayoutDepositNeedsAttention n => new PayoutRecord
        {
            Id = id, TenantId = n.TenantId, PayoutId = n.PayoutId, Outcome = PayoutOutcomes.NeedsAttention, Currency = n.Currency,
            PayoutAmount = n.PayoutAmount, Fees = n.Fees, Payments = n.Payments, PaidAt = n.PaidAt, ReasonCode = n.ReasonCode, Reason = n.Reason,
            DecidedAt = n.RaisedAt,
        },
        _ => record,
    };
}

/// <summary>What became of a payout in the books.</summary>
public static class PayoutOutcomes
{
    public const string Deposited = "Deposited";
    public const string Skipped = "Skipped";
    public const string NeedsAttention = "NeedsAttention";
}

/// <summary>How a payout's deposit compares with the payout: a pure rule, shown to operators.</summary>
public static class PayoutMatch
{
    /// <summary>Deposited for exactly the payout's amount.</summary>
    public const string Matched = "Matched";

    /// <summary>Deposited, but for another amount than the payout's: the books disagree with the bank.</summary>
    public const string Mismatched = "Mismatched";

    /// <summary>Nothing deposited: a person must decide (<see cref="PayoutOutcomes.NeedsAttention"/>).</summary>
    public const string NotDeposited = "NotDeposited";

    /// <summary>The connection records no deposits, by the partner's choice: nothing to compare.</summary>
    public const string NotRecorded = "NotRecorded";

    /// <summary>Deposited, but the payout's amount was not kept with it (decided before it was): cannot be compared.</summary>
    public const string Unknown = "Unknown";

    public static string Of(string outcome, decimal? payoutAmount, decimal? depositAmount) => outcome switch
    {
        PayoutOutcomes.Deposited when payoutAmount is null || depositAmount is null => Unknown,
        PayoutOutcomes.Deposited => payoutAmount == depositAmount ? Matched : Mismatched,
        PayoutOutcomes.Skipped => NotRecorded,
        _ => NotDeposited,
    };

    /// <summary>Whether a person should look at it: a deposit that differs from its payout, or none where one was due.</summary>
    public static bool NeedsAttention(string match) => match is Mismatched or NotDeposited;
}
