using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.ServiceDefaults.Identity;
using ReconMesh.WritebackService.Invoices;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.Trust;

/// <summary>
/// Why a message on the bus cannot be what it claims to be, or null when it can: pure functions of the message and
/// the facts WritebackService holds about the stream or document it would touch. Every id in the mesh is derived from
/// the tenant and the platform's or integration's id (<see cref="MeshIds"/>), so a message naming one tenant and
/// another tenant's stream gives itself away; commands the saga issues must also say what the saga says.
/// </summary>
public static class MessageClaims
{
    /// <summary>A message about payment <paramref name="meshPaymentId"/> must be of the tenant and platform payment that id is made of.</summary>
    public static string? Payment(string what, Guid meshPaymentId, string? tenantId, string? paymentId)
    {
        if (string.IsNullOrEmpty(tenantId) || string.IsNullOrEmpty(paymentId))
        {
            return $"{what} for payment {meshPaymentId} names no tenant or no platform payment id.";
        }

        return meshPaymentId == MeshIds.Payment(tenantId, paymentId)
            ? null
            : $"{what} claims tenant {tenantId} and payment {paymentId}, but {meshPaymentId} is not that payment's id.";
    }

    /// <summary>A payout's id must be the one made of its tenant and the platform's payout id.</summary>
    public static string? Payout(PayoutAccepted message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrEmpty(message.TenantId) || string.IsNullOrEmpty(message.PayoutId))
        {
            return $"{nameof(PayoutAccepted)} {message.MeshPayoutId} names no tenant or no platform payout id.";
        }

        return message.MeshPayoutId == MeshIds.Payout(message.TenantId, message.PayoutId)
            ? null
            : $"{nameof(PayoutAccepted)} claims tenant {message.TenantId} and payout {message.PayoutId}, but {message.MeshPayoutId} is not that payout's id.";
    }

    /// <summary>
    /// A write is the saga's command for a payment it accepted: same tenant, payment and allocations, and no invoice of
    /// another tenant.
    /// </summary>
    public static string? Write(WritePaymentBack command, PaymentReconciliation? saga, IEnumerable<KnownInvoice> invoices)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(invoices);
        var reason = Payment(nameof(WritePaymentBack), command.MeshPaymentId, command.TenantId, command.PaymentId) ?? Saga(nameof(WritePaymentBack),
            command.MeshPaymentId, command.TenantId, command.PaymentId, saga);
        if (reason is not null)
        {
            return reason;
        }

        if (!(command.Allocations ?? []).SequenceEqual(saga!.Allocations))
        {
            return $"{nameof(WritePaymentBack)} for payment {command.MeshPaymentId} allocates other invoices or amounts than the payment accepted.";
        }

        var foreign = invoices.Where(i => i.TenantId != command.TenantId).Select(i => i.Id).ToList();
        return foreign.Count == 0
            ? null
            : $"{nameof(WritePaymentBack)} for tenant {command.TenantId} names invoice(s) {string.Join(", ", foreign.Take(10))} of another tenant.";
    }

    /// <summary>A reversal is the saga's command for a payment it accepted or heard fail: same tenant and payment.</summary>
    public static string? Reverse(ReversePayment command, PaymentReconciliation? saga)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Payment(nameof(ReversePayment), command.MeshPaymentId, command.TenantId, command.PaymentId)
               ?? Saga(nameof(ReversePayment), command.MeshPaymentId, command.TenantId, command.PaymentId, saga);
    }

    /// <summary>Which tenant's stream a message would touch, when WritebackService knows it: the saga's tenant.</summary>
    public static string? TargetTenant(PaymentReconciliation? saga) => string.IsNullOrEmpty(saga?.TenantId) ? null : saga.TenantId;

    private static string? Saga(string what, Guid meshPaymentId, string tenantId, string paymentId, PaymentReconciliation? saga)
    {
        if (saga is null || string.IsNullOrEmpty(saga.TenantId))
        {
            return $"{what} for payment {meshPaymentId}: the mesh has accepted no such payment.";
        }

        return saga.TenantId == tenantId && saga.PaymentId == paymentId
            ? null
            : $"{what} claims tenant {tenantId} and payment {paymentId}, but payment {meshPaymentId} is tenant {saga.TenantId}'s {saga.PaymentId}.";
    }
}
