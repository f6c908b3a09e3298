using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Payments;

namespace ReconMesh.Domain.Writeback;

/// <summary>
/// The rules of a payment's writeback stream: whether and where to write it, what its effects were, and what to revert
/// when it fails afterwards. Pure: the consumers load the facts, ask, act on the integration as told, and append.
/// </summary>
public static partial class WritebackDecider
{
    /// <summary>The reason code of a fault that outlasted every retry.</summary>
    public const string WritebackFailedCode = "writeback-failed";


    public static WriteStep DecideWrite(PaymentToWrite payment, WritebackRecord? record, WriteContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(context);
        // A cancelled payment is looked for again on every copy of its write (even one a person was asked about before the
        // failure cancelled it): the cancellation's look may have run before a write already under way booked it, and that
        // write's record of the booking may have been lost.
        if (record is { Written: true } or { Dismissed: true } or { AwaitingPerson: true, Cancelled: false })
        {
            return new WriteStep.AlreadyDone();
        }

        var step = DecidePlan(payment, context, now);
        if (payment.FailureReason is null && record is not { Cancelled: true })
        {
            return step;
        }

        // The platform says the payment failed (or another copy already cancelled it), yet a copy of its write may have
        // booked it: the integration's answer or the append of what it booked was lost (a crash, the database away). Only
        // a payment that could have been written is looked for; one that could not is cancelled, or stays cancelled.
        return step switch
        {
            WriteStep.Write plan => new WriteStep.LookBeforeCancel(plan),
            WriteStep.FindInSecondary => step,
            _ when record is { Cancelled: true } => new WriteStep.AlreadyDone(),
            _ => Record(Cancellation(payment, now)),
        };
    }

    /// <summary>
    /// Where and how the payment would be written, as if nothing had been decided for it yet: a Write, a look in the paired
    /// connection first, or why it cannot be written. Nothing may be written on it; it tells a look where to look.
    /// </summary>
    public static WriteStep DecidePlan(PaymentToWrite payment, WriteContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(context);
        var ids = payment.Allocations.Select(a => a.InvoiceId).ToList();
        var missing = ids.Where(id => !context.Invoices.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            // The platform can hear of an invoice (and take a payment for it) before this service does: the payment waits.
            return Record(new WritebackAwaitingInvoices(payment.MeshPaymentId, payment.PaymentId, payment.TenantId, missing, now));
        }

        var invoices = ids.Select(id => context.Invoices[id]).ToList();
        if (invoices.Any(i => i.TenantId != payment.TenantId))
        {
            return Record(Attention(payment, null, "invoice-of-another-tenant",
                "The payment allocates to an invoice that does not belong to its tenant; nothing was written.", now));
        }

        var connectionIds = invoices.Select(i => i.ConnectionId).Distinct().ToList();
        if (connectionIds.Count != 1)
        {
            return Record(Attention(payment, null, "allocations-span-connections",
                "The payment allocates to invoices of more than one connection; nothing was written.", now));
        }

        if (context.Removed is { } removed && removed.ConnectionId == connectionIds[0])
        {
            return Record(Attention(payment, removed.ConnectionId, ConnectionRemovedCode, ConnectionRemovedReason(removed, "nothing was written"), now));
        }

        if (context.Primary is not { } primary || primary.Id != connectionIds[0])
        {
            return Record(Attention(payment, connectionIds[0], "connection-unknown", $"Connection {connectionIds[0]} is not configured in WritebackService.", now));
        }

        if (!primary.CanWrite)
        {
            return Record(Attention(payment, primary.Id, "integration-unsupported", $"Writing payments back to {primary.Kind} is not supported yet.", now));
        }

        if (Unpaired(payment, primary, now) is { } unpaired)
        {
            return unpaired;
        }

        var request = new PaymentWriteRequest(payment.MeshPaymentId, payment.PaymentId, payment.Currency,
            DateOnly.FromDateTime(payment.ProcessedAt.UtcDateTime),
            [.. payment.Allocations.Select(a =>
            {
                var invoice = context.Invoices[a.InvoiceId];
                return new InvoicePortion(invoice.Id, invoice.ExternalId, invoice.CustomerExternalId, a.Amount);
            })], payment.Surcharge);
        return primary.SecondaryConnectionId is { } secondaryId
            ? Pair(payment, request, invoices, secondaryId, context, now)
            : new WriteStep.Write(primary, request, null, null);
    }

    /// <summary>
    /// A PSA paired with an accounting system: every invoice must have exactly one counterpart there before anything is
    /// written to either, so a payment is booked in both or, as far as ReconMesh can tell, in neither.
    /// </summary>
    private static WriteStep Pair(PaymentToWrite payment, PaymentWriteRequest request, List<InvoiceFacts> invoices, Guid secondaryId,
        WriteContext context, DateTimeOffset now)
    {
        if (context.Secondary is not { CanWrite: true, CanFindByNumber: true } secondary || secondary.Id != secondaryId
            || secondary.TenantId != payment.TenantId)
        {
            return Record(Unpaired(secondaryId, "connection-unknown",
                $"The paired connection {secondaryId} is not configured (or cannot take payments)."));
        }

        if (context.SecondaryMatches is not { } matches)
        {
            return new WriteStep.FindInSecondary(secondaryId, [.. invoices.Select(i => i.Number).Distinct(StringComparer.Ordinal)]);
        }

        var portions = new List<InvoicePortion>();
        foreach (var portion in request.Invoices)
        {
            var number = context.Invoices[portion.InvoiceId].Number;
            switch (matches.GetValueOrDefault(number))
            {
                case InvoiceMatch.Found found:
                    portions.Add(portion with { ExternalInvoiceId = found.ExternalId, CustomerExternalId = found.CustomerExternalId });
                    break;
                case InvoiceMatch.Ambiguous ambiguous:
                    return Record(Unpaired(secondary.Id, "secondary-invoice-ambiguous",
                        $"{secondary.Kind} has {ambiguous.ExternalIds.Count} invoices numbered {number} ({string.Join(", ", ambiguous.ExternalIds)}); " +
                        "ReconMesh does not guess. Nothing was written to either system."));
                default:
                    return Record(Unpaired(secondary.Id, "secondary-invoice-missing",
                        $"{secondary.Kind} has no invoice numbered {number}. Nothing was written to either system."));
            }
        }

        return new WriteStep.Write(context.Primary!, request, secondary, request with { Invoices = portions });

        WritebackNeedsAttention Unpaired(Guid connectionId, string code, string reason) => Attention(payment, connectionId, code, reason, now);
    }

    /// <summary>The secondary's write follows only a primary that is written.</summary>
    public static PaymentWriteRequest? SecondaryAfter(WriteStep.Write plan, WritebackOutcome primary)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return primary is WritebackOutcome.Written ? plan.Secondary : null;
    }

    /// <summary>What a write did, as the events of the payment's writeback stream.</summary>
    public static IReadOnlyList<object> RecordWrite(PaymentToWrite payment, WriteStep.Write plan, WritebackOutcome primary, WritebackOutcome? secondary,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(plan);
        var connection = plan.PrimaryConnection;
        if (primary is WritebackOutcome.NeedsAttention n)
        {
            return [Attention(payment, connection.Id, n.ReasonCode, n.Reason, now)];
        }

        if (primary is not WritebackOutcome.Written written)
        {
            throw new ArgumentException($"A write cannot end {primary}.", nameof(primary));
        }

        var primaryEffect = new PaymentStatusWrittenBack(payment.MeshPaymentId, payment.PaymentId, payment.TenantId,
            connection.Id, connection.Kind, written.Status, written.ExternalPaymentIds, written.Invoices, now);
        if (plan.SecondaryConnection is not { } other)
        {
            return [primaryEffect];
        }

        return secondary switch
        {
            // The secondary's effect first: the saga moves on at the first PaymentStatusWrittenBack it hears.
            WritebackOutcome.Written s => [new PaymentStatusWrittenBack(payment.MeshPaymentId, payment.PaymentId, payment.TenantId,
                other.Id, other.Kind, s.Status, s.ExternalPaymentIds, s.Invoices, now, ToSecondary: true), primaryEffect],
            WritebackOutcome.NeedsAttention a => [
                new PaymentWrittenToPrimaryOnly(payment.MeshPaymentId, payment.TenantId, connection.Id, written.ExternalPaymentIds, now),
                Attention(payment, other.Id, a.ReasonCode,
                    $"Written to {connection.Kind} (payment {string.Join(", ", written.ExternalPaymentIds)}) but not to {other.Kind}: {a.Reason}", now)],
            _ => throw new ArgumentException($"A paired write needs the secondary's outcome, not {secondary}.", nameof(secondary)),
        };
    }

    /// <summary>
    /// What to revert for a payment that failed, was refunded or charged back: exactly what the mesh booked, whether the
    /// write completed or stopped half-way (a PSA written, its paired books not). A failure that
    /// <paramref name="supersedesAttention"/> (it arrived while a person had the payment, or after one dismissed it) is
    /// not held up by that person: what was booked is reverted, and a payment with nothing booked is cancelled.
    /// </summary>
    public static ReverseStep DecideReverse(WritebackRecord? record, bool supersedesAttention, Guid meshPaymentId, string paymentId, string tenantId,
        PaymentReversalKind kind, DateTimeOffset now)
    {
        // A failure superseding a person's attention on a cancelled payment (a late attention after the cancellation) goes
        // on below: nothing is booked, so it records the cancellation again and the saga ends Cancelled, not Reversing.
        if (record is { Reversed: true } || (!supersedesAttention && record is { Cancelled: true } or { AwaitingPerson: true }))
        {
            return new ReverseStep.NothingToReverse();
        }

        // A paired accounting connection first (its reversal may need a person), then the PSA.
        var targets = new List<ReversalTarget>();
        if (record is { SecondaryConnectionId: { } secondaryId, SecondaryExternalPaymentIds.Count: > 0 })
        {
            targets.Add(new ReversalTarget(secondaryId, record.SecondaryExternalPaymentIds, ToSecondary: true));
        }

        if (record is { ConnectionId: { } connectionId } && (record.Written || record.ExternalPaymentIds.Count > 0))
        {
            targets.Add(new ReversalTarget(connectionId, record.ExternalPaymentIds, ToSecondary: false));
        }

        if (targets.Count > 0)
        {
            return new ReverseStep.Reverse(targets);
        }

        if (!supersedesAttention)
        {
            return new ReverseStep.NothingToReverse();
        }

        object[] cancellation = [new WritebackCancelled(meshPaymentId, paymentId, tenantId,
            $"The payment was {ReversalWords.Past(kind, failed: "reported failed")} on the platform while it waited for a person; nothing had been written, so nothing was.", now)];
        // A write that needed a person may have booked all the same (its answer, or the append of what it booked, lost);
        // a record that is already cancelled was decided after such a look.
        return record is { Cancelled: true } ? new ReverseStep.Record(cancellation) : new ReverseStep.LookFirst(cancellation);
    }

    /// <summary>
    /// What a reversal did. Nothing is recorded as reversed until every target is: the first that needs a person is the
    /// only event, and a retry finds what is already undone (the adapters treat an undone payment as reverted).
    /// </summary>
    public static IReadOnlyList<object> RecordReverse(Guid meshPaymentId, string paymentId, string tenantId, PaymentReversalKind kind,
        IReadOnlyList<(ReversalTarget Target, WritebackOutcome Outcome)> results, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(results);
        var effects = new List<object>();
        foreach (var (target, outcome) in results)
        {
            switch (outcome)
            {
                case WritebackOutcome.Reversed r:
                    effects.Add(new PaymentStatusReverted(meshPaymentId, paymentId, tenantId, target.ConnectionId, r.ExternalPaymentIds, now, kind,
                        r.ReinstatementInvoiceIds ?? [], target.ToSecondary));
                    break;
                case WritebackOutcome.NeedsAttention n:
                    return [new WritebackNeedsAttention(meshPaymentId, paymentId, tenantId, target.ConnectionId, n.ReasonCode, n.Reason, now)];
                default:
                    throw new ArgumentException($"A reversal cannot end {outcome}.", nameof(results));
            }
        }

        return effects;
    }

    /// <summary>
    /// A write or reversal still failing after every retry must not leave the payment half-way: it needs attention with
    /// the last error, unless what it tried is already done or a person already has it.
    /// </summary>
    /// <param name="supersedesAttention">A reversal of a failure that came while a person had the payment: it needs
    /// attention of its own, or the saga would wait in Reversing for ever.</param>
    public static IReadOnlyList<object> RecordFault(WritebackRecord? record, bool reversal, Guid meshPaymentId, string paymentId, string tenantId,
        string? errorType, string? errorMessage, DateTimeOffset now, bool supersedesAttention = false)
    {
        var withPerson = record is { AwaitingPerson: true } or { Dismissed: true } && !(reversal && supersedesAttention);
        if (withPerson || (!reversal && record is { Written: true } or { Cancelled: true }) || (reversal && record is { Reversed: true } or { Cancelled: true }))
        {
            return [];
        }

        var what = reversal ? "reversal" : "write";
        return [new WritebackNeedsAttention(meshPaymentId, paymentId, tenantId, record?.ConnectionId, WritebackFailedCode,
            $"The {what} kept failing after every retry: {errorType}: {errorMessage}. Retry once the cause is gone; " +
            "a retry finds and records anything the integration already holds for this payment instead of writing it again.", now)];
    }

    private static WriteStep.Record Record(params object[] events) => new(events);

    private static WritebackNeedsAttention Attention(PaymentToWrite p, Guid? connectionId, string code, string reason, DateTimeOffset now) =>
        new(p.MeshPaymentId, p.PaymentId, p.TenantId, connectionId, code, reason, now);
}
