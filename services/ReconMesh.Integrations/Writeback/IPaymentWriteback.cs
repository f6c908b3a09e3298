using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.Integrations.Writeback;

/// <summary>
/// Writes a payment's status into one kind of integration, exactly once in effect: a retry after a timeout or a
/// crash must find or replay the first write, never add a second. Transient failures (throttling, 5xx, timeouts)
/// are thrown to be retried; anything a person must decide is returned as <see cref="WritebackOutcome.NeedsAttention"/>.
/// </summary>
public interface IPaymentWriteback
{
    IntegrationKind Kind { get; }

    Task<WritebackOutcome> WriteAsync(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Reverts what <see cref="WriteAsync"/> wrote for a payment that failed, was refunded or charged back afterwards,
    /// so the customer owes the amount again. Idempotent: what is already reverted stays as it is.
    /// </summary>
    Task<WritebackOutcome> ReverseAsync(ConnectionSettings connection, PaymentReversalRequest request, CancellationToken cancellationToken);
}

/// <param name="MeshPaymentId">ReconMesh's payment id: the root of every idempotency key.</param>
/// <param name="PaymentId">The platform's payment id, shown to people in the integration.</param>
/// <param name="Kind">Why the money did not stay paid.</param>
/// <param name="ExternalPaymentIds">What <see cref="IPaymentWriteback.WriteAsync"/> recorded.</param>
/// <param name="Surcharge">The surcharge the payment included, booked on its own when it was written.</param>
public sealed record PaymentReversalRequest(Guid MeshPaymentId, string PaymentId, PaymentReversalKind Kind, IReadOnlyList<string> ExternalPaymentIds,
    decimal Surcharge = 0m);

/// <param name="MeshPaymentId">ReconMesh's payment id: the root of every idempotency key.</param>
/// <param name="PaymentId">The platform's payment id, shown to people in the integration.</param>
/// <param name="Currency">ISO 4217 code of the amounts.</param>
/// <param name="PaidOn">The payment's date in the books.</param>
/// <param name="Invoices">What to apply to which invoice.</param>
/// <param name="Surcharge">What the customer paid on top, as a surcharge; booked by the integration's surcharge policy.</param>
public sealed record PaymentWriteRequest(Guid MeshPaymentId, string PaymentId, string Currency, DateOnly PaidOn, IReadOnlyList<InvoicePortion> Invoices,
    decimal Surcharge = 0m);

public sealed record InvoicePortion(Guid InvoiceId, string ExternalInvoiceId, string CustomerExternalId, decimal Amount);

public abstract record WritebackOutcome
{
    /// <summary>The integration now shows the payment.</summary>
    public sealed record Written(PaymentWritebackStatus Status, IReadOnlyList<string> ExternalPaymentIds, IReadOnlyList<WrittenBackInvoice> Invoices) : WritebackOutcome;

    /// <summary>Undone (voided or deleted in the integration); or, for payments that could no longer be changed, offset by the reinstatement invoices named.</summary>
    public sealed record Reversed(IReadOnlyList<string> ExternalPaymentIds, IReadOnlyList<string>? ReinstatementInvoiceIds = null) : WritebackOutcome;

    /// <summary>Nothing was written (or only what <see cref="Reason"/> says); a person must decide.</summary>
    public sealed record NeedsAttention(string ReasonCode, string Reason) : WritebackOutcome;
}
