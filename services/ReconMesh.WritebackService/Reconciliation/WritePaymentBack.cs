using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// The reconciliation saga's request to write one payment to its integration (internal to WritebackService).
/// FailureReason is set when the saga has heard that the payment failed on the platform: nothing may be written, and
/// the write consumer records the cancellation instead.
/// </summary>
public sealed record WritePaymentBack(
    Guid MeshPaymentId,
    string PaymentId,
    string TenantId,
    string Currency,
    DateTimeOffset ProcessedAt,
    IReadOnlyList<PaymentAllocation> Allocations,
    decimal Surcharge = 0m,
    string? FailureReason = null);

public static class WritePaymentBackExtensions
{
    /// <summary>The payment the command asks to write, as the decider reads it.</summary>
    public static PaymentToWrite ToPayment(this WritePaymentBack command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new PaymentToWrite(command.MeshPaymentId, command.PaymentId, command.TenantId, command.Currency, command.ProcessedAt,
            command.Allocations, command.Surcharge, command.FailureReason);
    }
}
