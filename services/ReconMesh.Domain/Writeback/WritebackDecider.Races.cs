namespace ReconMesh.Domain.Writeback;

public static partial class WritebackDecider
{
    /// <summary>The reason code of a payment two copies of its write booked under different ids.</summary>
    public const string BookedTwiceCode = "booked-twice";

    /// <summary>
    /// What to append when a write's effects lost the race for the stream: another copy of the command (a redelivery, a
    /// re-issued command carrying the platform's failure) appended first. A booking is a fact of the books and is
    /// always recorded, after whatever the other copy decided: a cancellation decided while this copy was writing is
    /// then followed by the booking, and the saga reverses it (nothing stays booked unseen). It is not recorded again
    /// when the other copy recorded the same booking (QuickBooks answered both with one Payment); two different
    /// bookings need a person. A write that booked nothing adds nothing: the other copy's decision stands.
    /// </summary>
    /// <param name="current">The stream's record as it is now, after the other copy's append.</param>
    /// <param name="effects">The effects this copy decided on before its append failed (<see cref="RecordWrite"/>).</param>
    public static IReadOnlyList<object> RecordAfterRace(PaymentToWrite payment, WritebackRecord? current, IReadOnlyList<object> effects,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(effects);
        var booking = effects.OfType<PaymentStatusWrittenBack>().FirstOrDefault(e => !e.ToSecondary);
        var primaryOnly = effects.OfType<PaymentWrittenToPrimaryOnly>().FirstOrDefault();
        // A status-only PSA's write may have booked only the money, in its paired books: that booking is compared instead.
        var secondaryOnly = booking is null && primaryOnly is null ? effects.OfType<PaymentWrittenToSecondaryOnly>().FirstOrDefault() : null;
        var bookedIds = booking?.ExternalPaymentIds ?? primaryOnly?.ExternalPaymentIds ?? secondaryOnly?.ExternalPaymentIds;
        if (bookedIds is null)
        {
            return [];
        }

        var currentIds = secondaryOnly is null ? current?.ExternalPaymentIds : current?.SecondaryExternalPaymentIds;
        if (currentIds is null || currentIds.Count == 0)
        {
            return effects;
        }

        if (currentIds.Order(StringComparer.Ordinal).SequenceEqual(bookedIds.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return [];
        }

        return [Attention(payment, booking?.ConnectionId ?? primaryOnly?.ConnectionId ?? secondaryOnly!.ConnectionId, BookedTwiceCode,
            $"Two copies of this payment's write booked it twice: {string.Join(", ", currentIds)} and {string.Join(", ", bookedIds)}. " +
            "Void the second in the integration, then dismiss this.", now)];
    }
}
