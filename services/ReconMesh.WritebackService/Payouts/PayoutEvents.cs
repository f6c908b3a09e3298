namespace ReconMesh.WritebackService.Payouts;

// A payout's effects on the books, in its writeback stream (stream id = MeshPayoutId).

/// <summary>The payout's deposit was recorded in the integration.</summary>
public sealed record PayoutDepositRecorded(Guid MeshPayoutId, string PayoutId, string TenantId, Guid ConnectionId, string ExternalDepositId,
    decimal Amount, decimal Fees, DateTimeOffset RecordedAt);

/// <summary>The connection does not record deposits: the payments stay in Undeposited Funds, by the partner's choice.</summary>
public sealed record PayoutDepositSkipped(Guid MeshPayoutId, string PayoutId, string TenantId, Guid ConnectionId, decimal Amount, decimal Fees,
    DateTimeOffset SkippedAt);

/// <summary>Nothing was deposited for the payout; a person must decide.</summary>
public sealed record PayoutDepositNeedsAttention(Guid MeshPayoutId, string PayoutId, string TenantId, string ReasonCode, string Reason,
    DateTimeOffset RaisedAt);
