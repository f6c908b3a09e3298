namespace ReconMesh.OperatorConsole.Services;

/// <summary>A page of a tenant's payouts against their deposits (<c>GET /tenants/{t}/payouts</c>).</summary>
public sealed record PayoutPage(string TenantId, int Page, int PageSize, int Total, int NeedingAttention, IReadOnlyList<PayoutLine> Payouts);

/// <summary>One payout beside the deposit the books hold for it, and whether they match.</summary>
public sealed record PayoutLine(
    Guid MeshPayoutId, string PayoutId, string Outcome, string Match, bool NeedsAttention, string? Currency, decimal? PayoutAmount, decimal? Fees,
    int? Payments, DateTimeOffset? PaidAt, decimal? DepositAmount, string? ExternalDepositId, Guid? ConnectionId, string? DepositAccountId,
    string? ReasonCode, string? Reason, DateTimeOffset DecidedAt)
{
    /// <summary>What the match means, in words.</summary>
    public string MatchWords => Match switch
    {
        "Matched" => "Matches its deposit",
        "Mismatched" => "Deposit differs from the payout",
        "NotDeposited" => "Not deposited: needs a person",
        "NotRecorded" => "No deposit: the connection records none",
        _ => "Cannot be compared",
    };
}
