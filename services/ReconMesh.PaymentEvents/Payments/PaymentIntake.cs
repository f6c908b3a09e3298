using System.Text.Json;
using FluentValidation;
using Marten;
using Marten.Exceptions;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.Identity;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>
/// What the platform reports, accepted once: validated, de-duplicated by (tenant, platform payment id), recorded in
/// the payment's stream. The bus consumer and the HTTP webhook both come through here, so they behave alike.
/// </summary>
public sealed partial class PaymentIntake(
    IDocumentSession session, IValidator<PaymentProcessed> processedRules, IValidator<PaymentFailed> failedRules,
    IValidator<PaymentRefunded> refundRules, IValidator<PaymentChargedBack> chargebackRules,
    TimeProvider clock, ILogger<PaymentIntake> logger)
{
    public abstract record Outcome
    {
        public sealed record Accepted(Guid MeshPaymentId) : Outcome;

        public sealed record Duplicate(Guid MeshPaymentId) : Outcome;

        public sealed record Rejected(IReadOnlyList<string> Reasons) : Outcome;
    }

    public async Task<Outcome> AcceptAsync(PaymentProcessed message, Guid sourceId, CancellationToken cancellationToken) =>
        Counted(nameof(PaymentProcessed), await AcceptProcessedAsync(message, sourceId, cancellationToken));

    /// <summary>
    /// Set by the bus consumers while a redelivery is still to come: a failure, refund or chargeback of a payment not
    /// received yet is then retried (<see cref="PaymentNotReceivedYetException"/>), since on the bus it can overtake
    /// its payment (a consumer that crashed, a database restart); on the last attempt, or over HTTP, it is rejected.
    /// </summary>
    public bool MayWaitForPayment { get; set; }

    public async Task<Outcome> AcceptFailureAsync(PaymentFailed message, Guid sourceId, CancellationToken cancellationToken) =>
        Counted(nameof(PaymentFailed), await AcceptFailedAsync(message, sourceId, cancellationToken));

    /// <summary>Any of the platform's payment events (see <see cref="PlatformEventTypes"/>), whichever door it came through.</summary>
    public Task<Outcome> AcceptAnyAsync(object message, Guid sourceId, CancellationToken cancellationToken) => message switch
    {
        PaymentProcessed p => AcceptAsync(p, sourceId, cancellationToken),
        PaymentFailed f => AcceptFailureAsync(f, sourceId, cancellationToken),
        PaymentRefunded r => AcceptRefundAsync(r, sourceId, cancellationToken),
        PaymentChargedBack c => AcceptChargebackAsync(c, sourceId, cancellationToken),
        _ => throw new ArgumentException($"{message.GetType().Name} is not a payment event of the platform.", nameof(message)),
    };

    public async Task<Outcome> AcceptRefundAsync(PaymentRefunded message, Guid sourceId, CancellationToken cancellationToken)
    {
        var validation = await refundRules.ValidateAsync(message, cancellationToken);
        var reversal = new Reversal(PaymentReversalKind.Refunded, message.PaymentId, message.TenantId, message.RefundId, message.Currency, message.Amount,
            "refund", string.IsNullOrWhiteSpace(message.Reason) ? "Refunded to the customer" : message.Reason, message.RefundedAt);
        return Counted(nameof(PaymentRefunded), validation.IsValid
            ? await AcceptReversalAsync(reversal, message, sourceId, cancellationToken)
            : await RejectAsync(sourceId, message.TenantId, message.PaymentId, nameof(PaymentRefunded),
                validation.Errors.Select(e => e.ErrorMessage).ToList(), message, cancellationToken));
    }

    public async Task<Outcome> AcceptChargebackAsync(PaymentChargedBack message, Guid sourceId, CancellationToken cancellationToken)
    {
        var validation = await chargebackRules.ValidateAsync(message, cancellationToken);
        var reversal = new Reversal(PaymentReversalKind.ChargedBack, message.PaymentId, message.TenantId, message.ChargebackId, message.Currency,
            message.Amount, message.ReasonCode, message.Reason, message.ChargedBackAt);
        return Counted(nameof(PaymentChargedBack), validation.IsValid
            ? await AcceptReversalAsync(reversal, message, sourceId, cancellationToken)
            : await RejectAsync(sourceId, message.TenantId, message.PaymentId, nameof(PaymentChargedBack),
                validation.Errors.Select(e => e.ErrorMessage).ToList(), message, cancellationToken));
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

    private async Task<Outcome> AcceptProcessedAsync(PaymentProcessed message, Guid sourceId, CancellationToken cancellationToken)
    {
        var validation = await processedRules.ValidateAsync(message, cancellationToken);
        if (!validation.IsValid)
        {
            return await RejectAsync(sourceId, message.TenantId, message.PaymentId, nameof(PaymentProcessed),
                validation.Errors.Select(e => e.ErrorMessage).ToList(), message, cancellationToken);
        }

        var id = MeshIds.Payment(message.TenantId, message.PaymentId);
        var now = clock.GetUtcNow();
        var received = new PaymentReceived(id, message.PaymentId, message.TenantId, message.Method, message.Currency, message.Amount,
            message.Fee, message.Allocations, message.ProcessedAt, now, message.Surcharge);
        if (await session.Events.FetchStreamStateAsync(id, cancellationToken) is not null)
        {
            return await DuplicateAsync(id, received, cancellationToken);
        }

        session.Events.StartStream(id, received);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return new Outcome.Accepted(id);
        }
        catch (ExistingStreamIdCollisionException)
        {
            // Two deliveries raced past the check; the stream's uniqueness decided.
            session.EjectAllPendingChanges();
            return await DuplicateAsync(id, received, cancellationToken);
        }
    }

    private async Task<Outcome> AcceptFailedAsync(PaymentFailed message, Guid sourceId, CancellationToken cancellationToken)
    {
        var validation = await failedRules.ValidateAsync(message, cancellationToken);
        if (!validation.IsValid)
        {
            return await RejectAsync(sourceId, message.TenantId, message.PaymentId, nameof(PaymentFailed),
                validation.Errors.Select(e => e.ErrorMessage).ToList(), message, cancellationToken);
        }

        var id = MeshIds.Payment(message.TenantId, message.PaymentId);
        var events = await session.Events.FetchStreamAsync(id, token: cancellationToken);
        if (events.Count == 0)
        {
            if (MayWaitForPayment)
            {
                throw new PaymentNotReceivedYetException(message.TenantId, message.PaymentId);
            }

            return await RejectAsync(sourceId, message.TenantId, message.PaymentId, nameof(PaymentFailed),
                [$"Tenant {message.TenantId} has no payment {message.PaymentId}: a failure can only follow a PaymentProcessed."], message, cancellationToken);
        }

        if (events.Any(e => e.Data is PaymentFailureRecorded))
        {
            return new Outcome.Duplicate(id);
        }

        session.Events.Append(id, events.Count + 1, new PaymentFailureRecorded(id, message.PaymentId, message.TenantId, message.FailureCode,
            message.Reason, message.FailedAt, clock.GetUtcNow()));
        await session.SaveChangesAsync(cancellationToken);
        return new Outcome.Accepted(id);
    }

    private sealed record Reversal(PaymentReversalKind Kind, string PaymentId, string TenantId, string ReversalId, string Currency, decimal Amount,
        string Code, string Reason, DateTimeOffset At);

    /// <summary>
    /// A refund or chargeback: whole (the payment's amount, in its currency), once per payment. The same report again
    /// is a duplicate; a different reversal of a payment already reversed is rejected, since the money can only go
    /// back once.
    /// </summary>
    private async Task<Outcome> AcceptReversalAsync(Reversal reversal, object message, Guid sourceId, CancellationToken cancellationToken)
    {
        var type = message.GetType().Name;
        var id = MeshIds.Payment(reversal.TenantId, reversal.PaymentId);
        var events = await session.Events.FetchStreamAsync(id, token: cancellationToken);
        var payment = events.Select(e => e.Data).OfType<PaymentReceived>().FirstOrDefault();
        if (payment is null)
        {
            if (MayWaitForPayment)
            {
                throw new PaymentNotReceivedYetException(reversal.TenantId, reversal.PaymentId);
            }

            return await RejectAsync(sourceId, reversal.TenantId, reversal.PaymentId, type,
                [$"Tenant {reversal.TenantId} has no payment {reversal.PaymentId}: a {Noun(reversal.Kind)} can only follow a PaymentProcessed."],
                message, cancellationToken);
        }

        if (events.Select(e => e.Data).OfType<PaymentFailureRecorded>().FirstOrDefault() is { } earlier)
        {
            return earlier.Kind == reversal.Kind && earlier.ReversalId == reversal.ReversalId
                ? new Outcome.Duplicate(id)
                : await RejectAsync(sourceId, reversal.TenantId, reversal.PaymentId, type,
                    [$"Payment {reversal.PaymentId} was already {Words(earlier.Kind)}{(earlier.ReversalId is null ? "" : $" ({earlier.ReversalId})")}; " +
                     $"this {Noun(reversal.Kind)} ({reversal.ReversalId}) would take the money back twice and is not applied."],
                    message, cancellationToken);
        }

        if (reversal.Currency != payment.Currency || reversal.Amount != payment.Amount + payment.Surcharge)
        {
            return await RejectAsync(sourceId, reversal.TenantId, reversal.PaymentId, type,
                [$"A {Noun(reversal.Kind)} is of the whole payment: {payment.Amount + payment.Surcharge} {payment.Currency}, not {reversal.Amount} {reversal.Currency}."],
                message, cancellationToken);
        }

        session.Events.Append(id, events.Count + 1, new PaymentFailureRecorded(id, reversal.PaymentId, reversal.TenantId, reversal.Code,
            reversal.Reason, reversal.At, clock.GetUtcNow(), reversal.Kind, reversal.ReversalId));
        await session.SaveChangesAsync(cancellationToken);
        return new Outcome.Accepted(id);
    }

    private static string Words(PaymentReversalKind kind) => kind switch
    {
        PaymentReversalKind.Refunded => "refunded",
        PaymentReversalKind.ChargedBack => "charged back",
        _ => "failed",
    };

    private static string Noun(PaymentReversalKind kind) => kind switch
    {
        PaymentReversalKind.Refunded => "refund",
        PaymentReversalKind.ChargedBack => "chargeback",
        _ => "failure",
    };

    private async Task<Outcome> DuplicateAsync(Guid id, PaymentReceived again, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(id, token: cancellationToken);
        var first = events.Select(e => e.Data).OfType<PaymentReceived>().First();
        var difference = Difference(first, again);
        if (difference is not null && !events.Any(e => e.Data is ConflictingPaymentReportReceived c && c.Difference == difference))
        {
            // The first report stands; the conflicting one is kept in the story for a person to see.
            session.Events.Append(id, new ConflictingPaymentReportReceived(again.PaymentId, difference, again.ReceivedAt));
            await session.SaveChangesAsync(cancellationToken);
        }

        LogDuplicate(logger, again.PaymentId, again.TenantId);
        return new Outcome.Duplicate(id);
    }

    private static string? Difference(PaymentReceived first, PaymentReceived again)
    {
        if (first.Amount != again.Amount || first.Currency != again.Currency)
        {
            return $"amount {again.Amount} {again.Currency} instead of {first.Amount} {first.Currency}";
        }

        if (first.Fee != again.Fee)
        {
            return $"fee {again.Fee} instead of {first.Fee}";
        }

        if (first.Surcharge != again.Surcharge)
        {
            return $"surcharge {again.Surcharge} instead of {first.Surcharge}";
        }

        var a = first.Allocations.OrderBy(x => x.InvoiceId).Select(x => (x.InvoiceId, x.Amount));
        var b = again.Allocations.OrderBy(x => x.InvoiceId).Select(x => (x.InvoiceId, x.Amount));
        return a.SequenceEqual(b) ? null : "different allocations";
    }

    private async Task<Outcome> RejectAsync(Guid sourceId, string? tenantId, string? paymentId, string type, IReadOnlyList<string> reasons,
        object message, CancellationToken cancellationToken)
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
        await session.SaveChangesAsync(cancellationToken);
        return new Outcome.Rejected(reasons);
    }

    [LoggerMessage(LogLevel.Information, "Payment {PaymentId} of tenant {TenantId} was already received; this report is ignored")]
    private static partial void LogDuplicate(ILogger logger, string paymentId, string tenantId);
}

/// <summary>A failure, refund or chargeback names a payment not received yet; retried while the payment may still arrive.</summary>
public sealed class PaymentNotReceivedYetException(string tenantId, string paymentId)
    : Exception($"Tenant {tenantId} has no payment {paymentId} yet")
{
}

/// <summary>
/// How long a failure, refund or chargeback on the bus waits for its payment: about half a minute, retried in place
/// (longer than a database restart or a consumer's own retries; a report still unmatched then is rejected).
/// </summary>
public static class PaymentWait
{
    public static readonly TimeSpan[] Intervals =
        [.. new[] { 250, 500, 1000, 2000, 4000, 8000, 15000 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    /// <summary>The retry that lets a report wait for its payment, on an endpoint whose consumers go through <see cref="PaymentIntake"/>.</summary>
    public static void Apply(IReceiveEndpointConfigurator endpoint) =>
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<PaymentNotReceivedYetException>();
            r.Intervals(Intervals);
        });
}
