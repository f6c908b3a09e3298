using System.ComponentModel.DataAnnotations;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// How one call to an integration is tried in its caller's slot (<c>ReconMesh:Integrations:Http</c>): each attempt may
/// take <see cref="AttemptTimeout"/>; a call that may be repeated (<see cref="IdempotentRequests"/>) is tried up to
/// <see cref="MaxAttempts"/> times, backing off exponentially with jitter from <see cref="RetryBaseDelay"/>, or waiting
/// what the integration's <c>Retry-After</c> asks, up to <see cref="MaxWait"/>; and a connection whose calls keep
/// failing is left alone for a while (the circuit breaker). Longer waits are not the slot's business: the callers wait
/// aside (docs/reliability.md).
/// </summary>
public sealed class IntegrationHttpOptions
{
    public const string Section = "ReconMesh:Integrations:Http";

    /// <summary>Attempts of one call, the first included (6: up to 5 retries).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>How long one attempt may wait for its answer (30 s); the rate limiter's wait before it is not counted.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first back-off (100 ms), doubled at each retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest wait between two attempts (30 s). An answer whose <c>Retry-After</c> asks for longer is not retried
    /// in the slot: it goes back to the caller at once, whose wait aside can be as long as it needs.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The share of failed attempts (5xx, no answer, a lost connection; not 429, which the rate limiter and
    /// <c>Retry-After</c> answer) within <see cref="CircuitBreakerSamplingDuration"/> that opens a connection's circuit (0.5).
    /// </summary>
    [Range(0.01, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>The attempts a sample needs before it can open the circuit (20).</summary>
    [Range(2, 10_000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>The window the failure ratio is measured over (30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails a connection's calls without sending them, before one is let through to try (15 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
