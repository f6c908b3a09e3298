using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.EventSourcing.Identity;
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
    /// A write is the saga's command for a payment it accepted: same tenant, payment and allocations. (Whether those
    /// invoices are the tenant's is the decider's question: a payment the platform sent for another tenant's invoice
    /// needs a person, it is not a forgery.)
    /// </summary>
    public static string? Write(WritePaymentBack command, PaymentReconciliation? saga)
    {
        ArgumentNullException.ThrowIfNull(command);
        var reason = Payment(nameof(WritePaymentBack), command.MeshPaymentId, command.TenantId, command.PaymentId) ?? Saga(nameof(WritePaymentBack),
            command.MeshPaymentId, command.TenantId, command.PaymentId, saga);
        if (reason is not null)
        {
            return reason;
        }

        return (command.Allocations ?? []).SequenceEqual(saga!.Allocations)
            ? null
            : $"{nameof(WritePaymentBack)} for payment {command.MeshPaymentId} allocates other invoices or amounts than the payment accepted.";
    }

    /// <summary>A reversal is the saga's command for a payment it accepted or heard fail: same tenant and payment.</summary>
    public static string? Reverse(ReversePayment command, PaymentReconciliation? saga)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Payment(nameof(ReversePayment), command.MeshPaymentId, command.TenantId, command.PaymentId)
               ?? Saga(nameof(ReversePayment), command.MeshPaymentId, command.TenantId, command.PaymentId, saga);
    }

    /// <summary>
    /// Which tenant a refused message reached for, when WritebackService knows: the saga's tenant, else the first other
    /// tenant among the invoices it named.
    /// </summary>
    public static string? TargetTenant(PaymentReconciliation? saga, string? claimedTenantId = null, IEnumerable<KnownInvoice>? invoices = null) =>
        string.IsNullOrEmpty(saga?.TenantId)
            ? invoices?.Select(i => i.TenantId).FirstOrDefault(t => t != claimedTenantId)
            : saga.TenantId;

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
