using MassTransit;

namespace ReconMesh.Contracts.Payouts;

/// <summary>ReconMesh accepted a <see cref="PayoutPaid"/>: valid, not a duplicate, recorded in the payout's stream.</summary>
/// <param name="MeshPayoutId">ReconMesh's id of the payout, derived from tenant and platform id.</param>
/// <param name="PayoutId">The platform's payout id.</param>
/// <param name="TenantId">The partner.</param>
/// <param name="Currency">ISO 4217 code of every amount.</param>
/// <param name="Amount">What reached the bank.</param>
/// <param name="Payments">The payments settled.</param>
/// <param name="PaidAt">When the platform paid out.</param>
/// <param name="Reversals">Earlier payments the payout takes back; empty if none.</param>
[MessageUrn("urn:reconmesh:payouts:payout-accepted:v1", false)]
[EntityName("reconmesh.payouts.payout-accepted")]
public sealed record PayoutAccepted(Guid MeshPayoutId, string PayoutId, string TenantId, string Currency, decimal Amount,
    IReadOnlyList<PayoutPayment> Payments, DateTimeOffset PaidAt, IReadOnlyList<PayoutReversal>? Reversals = null);
