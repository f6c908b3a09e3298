using ReconMesh.Contracts.Payments;

namespace ReconMesh.Domain.Payments;

/// <summary>
/// The platform's reports, accepted once: a payment is recorded the first time; the same payment again is a duplicate
/// (a report that differs is noted once per difference, the first report stands); a reversal follows its payment,
/// once, and a refund or chargeback takes back the whole payment.
/// </summary>
public static class PaymentDecider
{
    public static PaymentDecision Decide(ReportPayment command, PaymentStream state)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        var report = command.Report;
        if (state.Payment is not { } first)
        {
            return new PaymentDecision.Accepted { Events = [report] };
        }

        return Difference(first, report) is { } difference && !state.ConflictsNoted.Contains(difference)
            ? new PaymentDecision.Duplicate { Events = [new ConflictingPaymentReportReceived(report.PaymentId, difference, report.ReceivedAt)] }
            : new PaymentDecision.Duplicate();
    }

    public static PaymentDecision Decide(ReportReversal command, PaymentStream state)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        if (state.Payment is not { } payment)
        {
            return new PaymentDecision.PaymentNotReceived(
                $"Tenant {command.TenantId} has no payment {command.PaymentId}: a {ReversalWords.Noun(command.Kind)} can only follow a PaymentProcessed.");
        }

        if (state.Reversal is { } earlier)
        {
            // A failure reported again is the same failure; a refund or chargeback is the same only with the same id.
            return command.Kind == PaymentReversalKind.Failed || (earlier.Kind == command.Kind && earlier.ReversalId == command.ReversalId)
                ? new PaymentDecision.Duplicate()
                : new PaymentDecision.Rejected([
                    $"Payment {command.PaymentId} was already {ReversalWords.Past(earlier.Kind)}{(earlier.ReversalId is null ? "" : $" ({earlier.ReversalId})")}; " +
                    $"this {ReversalWords.Noun(command.Kind)} ({command.ReversalId}) would take the money back twice and is not applied."]);
        }

        var whole = payment.Amount + payment.Surcharge;
        if (command.Money is { } money && (money.Currency != payment.Currency || money.Amount != whole))
        {
            return new PaymentDecision.Rejected([
                $"A {ReversalWords.Noun(command.Kind)} is of the whole payment: {whole} {payment.Currency}, not {money.Amount} {money.Currency}."]);
        }

        return new PaymentDecision.Accepted
        {
            Events = [new PaymentFailureAccepted(command.MeshPaymentId, command.PaymentId, command.TenantId, command.Code, command.Reason,
                command.At, command.ReceivedAt, command.Kind, command.ReversalId)],
        };
    }

    /// <summary>How a second report of a payment differs from the first, in words; null when it does not.</summary>
    public static string? Difference(PaymentAccepted first, PaymentAccepted again)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(again);
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
}
