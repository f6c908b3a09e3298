namespace ReconMesh.Domain.Writeback;

/// <summary>A write or reversal that failed for a cause that passes by itself, as its command has met it so far.</summary>
/// <param name="Cause">The kind of failure, e.g. "throttled" (see the service's classification).</param>
/// <param name="Detail">The failure as it was reported.</param>
/// <param name="WaitsSoFar">How many times the command has already waited.</param>
/// <param name="FirstFailedAt">When the command first failed for a transient cause (the horizon is counted from here).</param>
public sealed record TransientFailure(string Cause, string Detail, int WaitsSoFar, DateTimeOffset FirstFailedAt);

/// <summary>How transient failures are waited for.</summary>
/// <param name="Tiers">The waits, shortest first: the n-th wait takes the n-th tier, and every wait after the last takes the last.</param>
/// <param name="Horizon">How long after the first failure the command is still waited for; after it, a person is asked.</param>
public sealed record TransientWaitPolicy(IReadOnlyList<TimeSpan> Tiers, TimeSpan Horizon);

/// <summary>What to do about a transient failure.</summary>
public abstract record TransientStep
{
    /// <summary>Record <see cref="Event"/>, and try the command again after <see cref="Delay"/>.</summary>
    public sealed record Wait(TimeSpan Delay, WritebackWaiting Event) : TransientStep;

    /// <summary>The horizon has passed: the failure is not transient any more, it goes the way of every other failure.</summary>
    public sealed record GiveUp(string Why) : TransientStep;
}

public static partial class WritebackDecider
{
    /// <summary>The stage of a write, as <see cref="WritebackWaiting.Stage"/> names it.</summary>
    public const string WriteStage = "write";

    /// <summary>The stage of a reversal, as <see cref="WritebackWaiting.Stage"/> names it.</summary>
    public const string ReverseStage = "reverse";

    /// <summary>The stage of a payout's deposit (its payments on their way, or the books not taking it yet).</summary>
    public const string DepositStage = "deposit";

    /// <summary>
    /// The cause of a payout that names payments still on their way into the books. What it waits for is the mesh's own
    /// work, which lands within minutes of any outage it lives through, and a look costs one read: it is not backed off
    /// past <see cref="OwnWorkLongestTier"/> (before, the last tier, ten minutes, held a payout for that long after its
    /// payments were written).
    /// </summary>
    public const string PaymentsOnTheirWayCause = "payments-on-their-way";

    /// <summary>The longest tier (by position) a wait for the mesh's own work takes: the second, 30 s by default.</summary>
    public const int OwnWorkLongestTier = 1;

    /// <summary>
    /// Transient is never a person's work: a write or reversal that failed because the integration throttled, was
    /// unavailable or did not answer (or the database or broker was unreachable) waits, a little longer each time up to
    /// the last tier, until the horizon has passed since its first failure. Only then does it fail as any other failure
    /// does, which makes it an exception naming the cause.
    /// </summary>
    /// <param name="stage"><see cref="WriteStage"/>, <see cref="ReverseStage"/> or <see cref="DepositStage"/>.</param>
    public static TransientStep DecideWait(Guid meshPaymentId, string paymentId, string tenantId, string stage, TransientFailure failure,
        TransientWaitPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Tiers.Count == 0)
        {
            return new TransientStep.GiveUp("No waits are configured.");
        }

        var waited = now - failure.FirstFailedAt;
        if (waited >= policy.Horizon)
        {
            return new TransientStep.GiveUp($"Still failing ({failure.Cause}) {waited:g} after the first failure; the horizon is {policy.Horizon:g}.");
        }

        var longest = failure.Cause == PaymentsOnTheirWayCause ? Math.Min(OwnWorkLongestTier, policy.Tiers.Count - 1) : policy.Tiers.Count - 1;
        var delay = policy.Tiers[Math.Min(Math.Max(failure.WaitsSoFar, 0), longest)];
        return new TransientStep.Wait(delay, new WritebackWaiting(meshPaymentId, paymentId, tenantId, stage,
            failure.Cause, failure.Detail, failure.WaitsSoFar + 1, failure.FirstFailedAt, now + delay, now));
    }
}
