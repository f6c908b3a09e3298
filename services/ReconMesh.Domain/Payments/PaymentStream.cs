namespace ReconMesh.Domain.Payments;

/// <summary>
/// What a payment's stream says, folded from its events: the first report that was accepted, the reversal (failure,
/// refund or chargeback) if there was one, and the conflicting reports already noted. <see cref="Version"/> is the
/// number of events folded, the expected version an append must build on.
/// </summary>
public sealed record PaymentStream(
    PaymentAccepted? Payment,
    PaymentFailureAccepted? Reversal,
    IReadOnlySet<string> ConflictsNoted,
    long Version)
{
    public static readonly PaymentStream Empty = new(null, null, new HashSet<string>(StringComparer.Ordinal), 0);

    public static PaymentStream From(IEnumerable<object> events) => events.Aggregate(Empty, Evolve);

    public static PaymentStream Evolve(PaymentStream state, object @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        var next = state with { Version = state.Version + 1 };
        return @event switch
        {
            // The first report stands; a stream never has two, but a replayed one must not replace it.
            PaymentAccepted received => next with { Payment = state.Payment ?? received },
            PaymentFailureAccepted reversal => next with { Reversal = state.Reversal ?? reversal },
            ConflictingPaymentReportReceived conflict => next with
            {
                ConflictsNoted = new HashSet<string>(state.ConflictsNoted, StringComparer.Ordinal) { conflict.Difference },
            },
            _ => next,
        };
    }
}
