using MassTransit;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>
/// How long a failure, refund or chargeback on the bus waits for its payment (<c>ReconMesh:Platform:PaymentWait</c>,
/// 30 seconds by default: longer than a database restart or a consumer's own retries). It is redelivered in place at
/// growing intervals (from a quarter of a second, doubling, at most 15 s apart) until the wait is over; a report still
/// unmatched then is rejected with its reason.
/// </summary>
public sealed class PaymentWait
{
    public const string Setting = "ReconMesh:Platform:PaymentWait";
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(15);

    public PaymentWait(TimeSpan total)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total.Ticks, nameof(total));
        var intervals = new List<TimeSpan>();
        for (var next = First; intervals.Sum(i => i.Ticks) < total.Ticks; next = next * 2 > Longest ? Longest : next * 2)
        {
            intervals.Add(next);
        }

        Intervals = intervals;
    }

    public IReadOnlyList<TimeSpan> Intervals { get; }

    public static PaymentWait From(IConfiguration configuration)
    {
        var value = configuration[Setting];
        if (value is null)
        {
            return new PaymentWait(Default);
        }

        return TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var total) && total > TimeSpan.Zero
            ? new PaymentWait(total)
            : throw new InvalidOperationException($"{Setting} must be a positive duration such as 00:00:30, not '{value}'.");
    }

    /// <summary>Whether a report on its <paramref name="retryAttempt"/>-th redelivery may still wait for its payment.</summary>
    public PaymentIntake.UnknownPayment For(int retryAttempt) =>
        retryAttempt < Intervals.Count ? PaymentIntake.UnknownPayment.Wait : PaymentIntake.UnknownPayment.Reject;

    /// <summary>The retry that lets a report wait for its payment, on an endpoint whose consumers go through <see cref="PaymentIntake"/>.</summary>
    public void Apply(IReceiveEndpointConfigurator endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<PaymentNotReceivedYetException>();
            r.Intervals([.. Intervals]);
        });
    }
}
