using MassTransit;

namespace ReconMesh.Contracts.Payouts;

/// <summary>
/// A payout was recorded in the integration as one deposit into the connection's bank account: each settled payment
/// moved out of Undeposited Funds, fees on their own line, the deposit equal to the payout.
/// </summary>
/// <param name="MeshPayoutId">ReconMesh's id of the payout.</param>
/// <param name="PayoutId">The platform's payout id.</param>
/// <param name="TenantId">The partner.</param>
/// <param name="ConnectionId">The connection written to.</param>
/// <param name="ExternalDepositId">The integration's id of the deposit; null when deposit recording is off for the connection.</param>
/// <param name="Amount">The deposit's total, equal to the payout.</param>
/// <param name="Fees">The fees booked on the deposit's fee line.</param>
/// <param name="DepositedAt">When the integration confirmed it.</param>
[MessageUrn("urn:reconmesh:payouts:payout-deposited:v1", false)]
[EntityName("reconmesh.payouts.payout-deposited")]
public sealed record PayoutDeposited(Guid MeshPayoutId, string PayoutId, string TenantId, Guid ConnectionId, string? ExternalDepositId,
    decimal Amount, decimal Fees, DateTimeOffset DepositedAt);
