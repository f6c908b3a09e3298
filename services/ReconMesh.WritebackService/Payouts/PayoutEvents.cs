namespace ReconMesh.WritebackService.Payouts;

// A payout's effects on the books, in its writeback stream (stream id = MeshPayoutId).
// The trailing, optional parameters say what the payout itself was (its amount, currency, date, the account it went to),
// so that a payout can be set beside its deposit without asking the platform; events recorded before they existed have none.

/// <summary>The payout's deposit was recorded in the integration; <paramref name="Amount"/> is the deposit's total in the books.</summary>
public sealed record PayoutDepositRecorded(Guid MeshPayoutId, string PayoutId, string TenantId, Guid ConnectionId, string ExternalDepositId,
    decimal Amount, decimal Fees, DateTimeOffset RecordedAt, string? Currency = null, decimal? PayoutAmount = null, DateTimeOffset? PaidAt = null,
    string? DepositAccountId = null, int? Payments = null);

/// <summary>The connection does not record deposits: the payments stay in Undeposited Funds, by the partner's choice.</summary>
public sealed record PayoutDepositSkipped(Guid MeshPayoutId, string PayoutId, string TenantId, Guid ConnectionId, decimal Amount, decimal Fees,
    DateTimeOffset SkippedAt, string? Currency = null, DateTimeOffset? PaidAt = null, int? Payments = null);

/// <summary>Nothing was deposited for the payout; a person must decide.</summary>
public sealed record PayoutDepositNeedsAttention(Guid MeshPayoutId, string PayoutId, string TenantId, string ReasonCode, string Reason,
    DateTimeOffset RaisedAt, string? Currency = null, decimal? PayoutAmount = null, decimal? Fees = null, DateTimeOffset? PaidAt = null,
    int? Payments = null);
