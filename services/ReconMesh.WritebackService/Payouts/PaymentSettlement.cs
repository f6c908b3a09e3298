namespace ReconMesh.WritebackService.Payouts;

/// <summary>Which payout settled a payment (stored with the payout's outcome), so no payment is deposited twice.</summary>
public sealed class PaymentSettlement
{
    /// <summary>ReconMesh's payment id.</summary>
    public Guid Id { get; set; }

    public Guid MeshPayoutId { get; set; }

    public string PayoutId { get; set; } = "";
}
