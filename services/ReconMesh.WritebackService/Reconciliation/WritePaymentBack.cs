using ReconMesh.Contracts.Payments;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>The reconciliation saga's request to write one payment to its integration (internal to WritebackService).</summary>
public sealed record WritePaymentBack(
    Guid MeshPaymentId,
    string PaymentId,
    string TenantId,
    string Currency,
    DateTimeOffset ProcessedAt,
    IReadOnlyList<PaymentAllocation> Allocations,
    decimal Surcharge = 0m);
