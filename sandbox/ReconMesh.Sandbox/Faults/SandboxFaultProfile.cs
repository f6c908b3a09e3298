namespace ReconMesh.Sandbox.Faults;

/// <summary>
/// The faults injected into one simulator's API. Read at start from <c>Sandbox:Faults:&lt;simulator&gt;</c> and
/// replaced at run time with <c>PUT /admin/faults/{simulator}</c> (same fields, camelCase on the wire).
/// </summary>
public sealed record SandboxFaultProfile
{
    /// <summary>Milliseconds added before every request of the simulator is handled (0..60000).</summary>
    public int LatencyMs { get; init; }

    /// <summary>Share of requests (0..1) answered with 500 or 503 instead of being handled.</summary>
    public double ErrorRate { get; init; }

    /// <summary>
    /// Share of requests (0..1) that are handled completely (a write is committed) but whose response is thrown away
    /// and whose connection is aborted, as when a gateway times out after the backend committed.
    /// </summary>
    public double TimeoutAfterCommitRate { get; init; }

    /// <summary>Chance (0..1), per request outside a burst, that a burst of 429 answers starts with it.</summary>
    public double ThrottleBurstRate { get; init; }

    /// <summary>Requests a 429 burst lasts, the one that starts it included (1 or more).</summary>
    public int ThrottleBurstLength { get; init; } = 1;

    /// <summary>Seed of the simulator's random source: the same seed and the same request order give the same faults.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>True when the profile injects nothing.</summary>
    public bool IsQuiet => LatencyMs == 0 && ErrorRate == 0 && TimeoutAfterCommitRate == 0 && ThrottleBurstRate == 0;

    /// <summary>Why the profile is invalid, or null when it is fine.</summary>
    public string? Validate()
    {
        if (LatencyMs is < 0 or > 60_000)
        {
            return "latencyMs must be between 0 and 60000.";
        }

        foreach (var (name, rate) in new[] { ("errorRate", ErrorRate), ("timeoutAfterCommitRate", TimeoutAfterCommitRate), ("throttleBurstRate", ThrottleBurstRate) })
        {
            if (double.IsNaN(rate) || rate is < 0 or > 1)
            {
                return $"{name} must be between 0 and 1.";
            }
        }

        return ThrottleBurstLength < 1 ? "throttleBurstLength must be 1 or more." : null;
    }
}

/// <summary>How many faults of each kind were injected since the profile was last set.</summary>
public sealed record SandboxFaultCounts(long Requests, long Delayed, long Errors, long TimeoutsAfterCommit, long Throttled);

/// <summary>What <c>GET /admin/faults/{simulator}</c> answers.</summary>
public sealed record SandboxFaultState(string Simulator, SandboxFaultProfile Profile, SandboxFaultCounts Counts);
