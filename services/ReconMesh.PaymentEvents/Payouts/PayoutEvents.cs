using ReconMesh.Contracts.Payouts;

namespace ReconMesh.PaymentEvents.Payouts;

/// <summary>The platform reported a payout and it passed validation; the first event of every payout stream.</summary>
public sealed record PayoutReceived(
    Guid MeshPayoutId, string PayoutId, string TenantId, string Currency, decimal Amount, IReadOnlyList<PayoutPayment> Payments,
    DateTimeOffset PaidAt, DateTimeOffset ReceivedAt, IReadOnlyList<PayoutReversal>? Reversals = null);
