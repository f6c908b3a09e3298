using MassTransit;

namespace ReconMesh.Contracts.Payouts;

/// <summary>A payout could not be deposited automatically; nothing was deposited for it. The reason says why.</summary>
/// <param name="MeshPayoutId">ReconMesh's id of the payout.</param>
/// <param name="PayoutId">The platform's payout id.</param>
/// <param name="TenantId">The partner.</param>
/// <param name="ReasonCode">A stable reason, e.g. <c>payment-not-written</c>, <c>payment-reversed</c>.</param>
/// <param name="Reason">The reason in words a person can act on.</param>
/// <param name="RaisedAt">When ReconMesh gave up.</param>
[MessageUrn("urn:reconmesh:payouts:payout-needs-attention:v1", false)]
[EntityName("reconmesh.payouts.payout-needs-attention")]
public sealed record PayoutNeedsAttention(Guid MeshPayoutId, string PayoutId, string TenantId, string ReasonCode, string Reason, DateTimeOffset RaisedAt);
