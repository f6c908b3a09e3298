using System.Text.Json;
using FluentValidation;
using Marten;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Payments;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.EventSourcing.Store;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>
/// What the platform reports, accepted once, whichever door it came through (bus, plain JSON, signed webhook):
/// validated at the edge, then load the payment's stream, let <see cref="PaymentDecider"/> decide, append what it
/// decided at the version it decided on, and answer. A report that cannot be accepted is kept as a
/// <see cref="RejectedMessage"/> for a person to see.
/// </summary>
public sealed partial class PaymentIntake(
    IDocumentSession session, IValidator<PaymentProcessed> processedRules, IValidator<PaymentFailed> failedRules,
    IValidator<PaymentRefunded> refundRules, IValidator<PaymentChargedBack> chargebackRules,
    TimeProvider clock, ILogger<PaymentIntake> logger)
{
    /// <summary>Attempts at one report when another delivery appends to the same stream meanwhile.</summary>
    private const int ConcurrentAppendAttempts = 3;

    public abstract record Outcome
    {
        public sealed record Accepted(Guid MeshPaymentId) : Outcome;

        public sealed record Duplicate(Guid MeshPaymentId) : Outcome;

        public sealed record Rejected(IReadOnlyList<string> Reasons) : Outcome;
    }

    /// <summary>What a door does with a failure, refund or chargeback of a payment it has not received.</summary>
    public enum UnknownPayment
    {
        /// <summary>Reject it (over HTTP the platform gets the answer and can send again).</summary>
        Reject,

        /// <summary>
        /// Throw <see cref="PaymentNotReceivedYetException"/> so the bus redelivers it: on the bus it can overtake its
        /// payment (a consumer that crashed, a database restart).
        /// </summary>
        Wait,
    }

    /// <summary>Any of the platform's payment events (see <see cref="PlatformEventTypes"/>).</summary>
    public async Task<Outcome> AcceptAnyAsync(object message, Guid sourceId, CancellationToken cancellationToken,
        UnknownPayment whenUnknown = UnknownPayment.Reject)
    {
        return (await AcceptManyAsync([(message, sourceId)], cancellationToken, whenUnknown))[0];
    }

    private async Task<(string Type, string? TenantId, string? PaymentId, IReadOnlyList<string> Errors)> ValidateAsync(
        object message, CancellationToken cancellationToken)
    {
        var result = message switch
        {
            PaymentProcessed p => await processedRules.ValidateAsync(p, cancellationToken),
            PaymentFailed f => await failedRules.ValidateAsync(f, cancellationToken),
            PaymentRefunded r => await refundRules.ValidateAsync(r, cancellationToken),
            PaymentChargedBack c => await chargebackRules.ValidateAsync(c, cancellationToken),
            _ => throw new ArgumentException($"{message.GetType().Name} is not a payment event of the platform.", nameof(message)),
        };
        var (tenantId, paymentId) = message switch
        {
            PaymentProcessed p => (p.TenantId, p.PaymentId),
            PaymentFailed f => (f.TenantId, f.PaymentId),
            PaymentRefunded r => (r.TenantId, r.PaymentId),
            PaymentChargedBack c => (c.TenantId, c.PaymentId),
            _ => ((string?)null, (string?)null),
        };
        return (message.GetType().Name, tenantId, paymentId, [.. result.Errors.Select(e => e.ErrorMessage)]);
    }

    private static (Guid Id, Func<PaymentStream, PaymentDecision> Decide) ToCommand(object message, DateTimeOffset now)
    {
        switch (message)
        {
            case PaymentProcessed p:
                var id = MeshIds.Payment(p.TenantId, p.PaymentId);
                var report = new ReportPayment(new Domain.Payments.PaymentAccepted(id, p.PaymentId, p.TenantId, p.Method, p.Currency, p.Amount, p.Fee,
                    p.Allocations, p.ProcessedAt, now, p.Surcharge));
                return (id, state => PaymentDecider.Decide(report, state));
            case PaymentFailed f:
                return Reversal(f.TenantId, f.PaymentId, PaymentReversalKind.Failed, null, null, f.FailureCode, f.Reason, f.FailedAt, now);
            case PaymentRefunded r:
                return Reversal(r.TenantId, r.PaymentId, PaymentReversalKind.Refunded, r.RefundId, (r.Currency, r.Amount), "refund",
                    string.IsNullOrWhiteSpace(r.Reason) ? "Refunded to the customer" : r.Reason, r.RefundedAt, now);
            case PaymentChargedBack c:
                return Reversal(c.TenantId, c.PaymentId, PaymentReversalKind.ChargedBack, c.ChargebackId, (c.Currency, c.Amount), c.ReasonCode,
                    c.Reason, c.ChargedBackAt, now);
            default:
                throw new ArgumentException($"{message.GetType().Name} is not a payment event of the platform.", nameof(message));
        }
    }

    private static (Guid, Func<PaymentStream, PaymentDecision>) Reversal(string tenantId, string paymentId, PaymentReversalKind kind,
        string? reversalId, (string, decimal)? money, string code, string reason, DateTimeOffset at, DateTimeOffset now)
    {
        var id = MeshIds.Payment(tenantId, paymentId);
        var command = new ReportReversal(id, paymentId, tenantId, kind, reversalId, money, code, reason, at, now);
        return (id, state => PaymentDecider.Decide(command, state));
    }

    /// <summary>Every outcome of the platform's door, whichever way the report came, in ReconMeshMetrics.</summary>
    private static Outcome Counted(string messageType, Outcome outcome)
    {
        var tag = new KeyValuePair<string, object?>("message", messageType);
        var counter = outcome switch
        {
            Outcome.Accepted => ReconMeshMetrics.PaymentsAccepted,
            Outcome.Duplicate => ReconMeshMetrics.PaymentsDuplicate,
            _ => ReconMeshMetrics.PaymentsRejected,
        };
        counter.Add(1, tag);
        return outcome;
    }

    /// <summary>Keeps the report for a person to see, with the session's next save.</summary>
    private Outcome.Rejected Reject(Guid sourceId, string? tenantId, string? paymentId, string type, IReadOnlyList<string> reasons, object message)
    {
        session.Store(new RejectedMessage
        {
            Id = sourceId,
            TenantId = tenantId,
            PaymentId = paymentId,
            MessageType = type,
            Reasons = reasons,
            Body = JsonSerializer.Serialize(message, message.GetType()),
            RejectedAt = clock.GetUtcNow(),
        });
        return new Outcome.Rejected(reasons);
    }

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId} was already received; this report is ignored")]
    private static partial void LogDuplicate(ILogger logger, Guid meshPaymentId);
}

/// <summary>A failure, refund or chargeback names a payment not received yet; retried while the payment may still arrive.</summary>
public sealed class PaymentNotReceivedYetException(string reason) : Exception(reason);
