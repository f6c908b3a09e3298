namespace ReconMesh.Domain.Writeback;

/// <summary>
/// Looks before "nothing was written": a payment the platform takes back is cancelled only when the integrations hold
/// nothing under its marker, since a write whose answer or record was lost may have booked it all the same.
/// </summary>
public static partial class WritebackDecider
{
    /// <summary>
    /// What a look for an earlier write of a failed payment found, as the events of its writeback stream: each half
    /// found is recorded as booked (the saga then reverses exactly that), and a payment nothing was found for is
    /// cancelled (or, already cancelled, stays so).
    /// </summary>
    public static IReadOnlyList<object> RecordLook(PaymentToWrite payment, WritebackRecord? record, WriteStep.LookBeforeCancel look,
        WritebackOutcome.Written? primary, WritebackOutcome.Written? secondary, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(look);
        var events = new List<object>();
        if (secondary is not null && look.Plan.SecondaryConnection is { } other)
        {
            // The secondary's effect first, as a write records it.
            events.Add(new PaymentStatusWrittenBack(payment.MeshPaymentId, payment.PaymentId, payment.TenantId, other.Id, other.Kind,
                secondary.Status, secondary.ExternalPaymentIds, secondary.Invoices, now, ToSecondary: true));
        }

        if (primary is not null)
        {
            events.Add(new PaymentStatusWrittenBack(payment.MeshPaymentId, payment.PaymentId, payment.TenantId, look.Plan.PrimaryConnection.Id,
                look.Plan.PrimaryConnection.Kind, primary.Status, primary.ExternalPaymentIds, primary.Invoices, now));
        }

        if (events.Count > 0 || record is { Cancelled: true })
        {
            return events;
        }

        return [Cancellation(payment, now)];
    }

    private static WritebackCancelled Cancellation(PaymentToWrite payment, DateTimeOffset now) =>
        new(payment.MeshPaymentId, payment.PaymentId, payment.TenantId,
            $"The payment failed on the platform ({payment.FailureReason ?? "failed"}) before it was written back; nothing was written.", now);

    /// <summary>
    /// The reversal of bookings a look found (<see cref="RecordLook"/>'s events): a paired accounting connection first,
    /// then the PSA, as <see cref="DecideReverse"/> orders what a record says was booked.
    /// </summary>
    public static ReverseStep.Reverse ReverseFound(IReadOnlyList<object> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        var bookings = found.OfType<PaymentStatusWrittenBack>().ToList();
        if (bookings.Count == 0)
        {
            throw new ArgumentException("Nothing was found to reverse.", nameof(found));
        }

        return new ReverseStep.Reverse([.. bookings.OrderByDescending(b => b.ToSecondary)
            .Select(b => new ReversalTarget(b.ConnectionId, b.ExternalPaymentIds, b.ToSecondary))]);
    }
}
