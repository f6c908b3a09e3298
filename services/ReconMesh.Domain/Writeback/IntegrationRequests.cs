using ReconMesh.Contracts.Payments;

namespace ReconMesh.Domain.Writeback;

// What a decision asks an integration's adapter to do, and what the adapter answers: the seam between the deciders
// and the integrations, so that the rules can plan a write without reaching the integration.

/// <param name="MeshPaymentId">ReconMesh's payment id: the root of every idempotency key.</param>
/// <param name="PaymentId">The platform's payment id, shown to people in the integration.</param>
/// <param name="Kind">Why the money did not stay paid.</param>
/// <param name="ExternalPaymentIds">What the adapter recorded when it wrote the payment.</param>
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

public abstract record InvoiceMatch
{
    /// <summary>Exactly one invoice has the number.</summary>
    public sealed record Found(string ExternalId, string CustomerExternalId) : InvoiceMatch;

    /// <summary>No invoice has it (not posted yet, or numbered differently).</summary>
    public sealed record NotFound : InvoiceMatch;

    /// <summary>Several invoices have it: ReconMesh does not guess.</summary>
    public sealed record Ambiguous(IReadOnlyList<string> ExternalIds) : InvoiceMatch;

    /// <summary>
    /// What the invoices an integration holds under one number (those that can still be paid) say: none, one with its
    /// customer (one without a customer cannot be paid, so it is not found), or several.
    /// </summary>
    public static InvoiceMatch Of<T>(IReadOnlyList<T> live, Func<T, string> id, Func<T, string?> customer) => live switch
    {
        [] => new NotFound(),
        [var one] when customer(one) is { Length: > 0 } owner => new Found(id(one), owner),
        [_] => new NotFound(),
        _ => new Ambiguous([.. live.Select(id)]),
    };
}
