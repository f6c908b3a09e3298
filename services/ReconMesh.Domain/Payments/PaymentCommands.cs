using ReconMesh.Contracts.Payments;

namespace ReconMesh.Domain.Payments;

/// <summary>The platform reports a payment (already validated at the door that received it).</summary>
/// <param name="Report">The report as the stream would record it.</param>
public sealed record ReportPayment(PaymentAccepted Report);

/// <summary>
/// The platform reports that a payment's money did not stay: it failed (an ACH return), was refunded or charged back.
/// </summary>
/// <param name="MeshPaymentId">The payment's stream id.</param>
/// <param name="PaymentId">The platform's payment id.</param>
/// <param name="TenantId">The payment's tenant.</param>
/// <param name="Kind">Failed, refunded or charged back.</param>
/// <param name="ReversalId">The refund's or chargeback's id on the platform; none for a failure.</param>
/// <param name="Money">For a refund or chargeback, the money taken back (it must be the whole payment); none for a failure.</param>
/// <param name="Code">The platform's failure or reason code.</param>
/// <param name="Reason">Why, in words a person can act on.</param>
/// <param name="At">When it happened on the platform.</param>
/// <param name="ReceivedAt">When ReconMesh heard of it.</param>
public sealed record ReportReversal(
    Guid MeshPaymentId,
    string PaymentId,
    string TenantId,
    PaymentReversalKind Kind,
    string? ReversalId,
    (string Currency, decimal Amount)? Money,
    string Code,
    string Reason,
    DateTimeOffset At,
    DateTimeOffset ReceivedAt);

/// <summary>What the payment's door does with a report: the events to append and the answer to give.</summary>
public abstract record PaymentDecision
{
    /// <summary>Events to append at the stream's version (none for an answer that changes nothing).</summary>
    public IReadOnlyList<object> Events { get; init; } = [];

    /// <summary>New to the stream: recorded.</summary>
    public sealed record Accepted : PaymentDecision;

    /// <summary>Already recorded; anything that differs is kept in <see cref="PaymentDecision.Events"/> for a person to see.</summary>
    public sealed record Duplicate : PaymentDecision;

    /// <summary>Cannot be applied; nothing is recorded in the stream.</summary>
    public sealed record Rejected(IReadOnlyList<string> Reasons) : PaymentDecision;

    /// <summary>
    /// Names a payment the stream has not received. On the bus a reversal can overtake its payment, so the door may
    /// wait for it; where it cannot wait, it rejects with <see cref="Reason"/>.
    /// </summary>
    public sealed record PaymentNotReceived(string Reason) : PaymentDecision;
}
