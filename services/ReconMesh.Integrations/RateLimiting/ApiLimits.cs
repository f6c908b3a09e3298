namespace ReconMesh.Integrations.RateLimiting;

/// <summary>An integration's published limits for one account (a QuickBooks company, a Xero tenant, ...).</summary>
/// <param name="RequestsPerMinute">Requests allowed in any 60-second window; 0 for no limit.</param>
/// <param name="MaxConcurrent">Requests in flight at once; 0 for no limit.</param>
public sealed record ApiLimits(int RequestsPerMinute, int MaxConcurrent)
{
    /// <summary>QuickBooks Online: 500 requests per minute and 10 concurrent requests per company.</summary>
    public static readonly ApiLimits QuickBooksOnline = new(500, 10);

    /// <summary>
    /// Xero: 60 calls a minute and 5 at once per organisation. Its third limit, 5,000 calls a day, is not paced here:
    /// a day's 429 carries a Retry-After of hours, which goes back to the caller (see IntegrationRetryRules).
    /// </summary>
    public static readonly ApiLimits Xero = new(60, 5);

    /// <summary>Autotask PSA: requests an hour per database, shared by every integration of the customer's database.</summary>
    public const int AutotaskRequestsPerHour = 10_000;

    /// <summary>The share of <see cref="AutotaskRequestsPerHour"/> ReconMesh claims unless a connection says otherwise.</summary>
    public const int AutotaskDefaultSharePercent = 20;

    /// <summary>
    /// Autotask PSA: <paramref name="sharePercent"/>% of the database's 10,000 requests an hour, as a pace a minute (20%:
    /// 2,000 an hour, 33 a minute), the rest left to the customer's other integrations; latency is added to every call
    /// above 50% use and calls are refused at 100%, so staying at a fifth keeps ReconMesh from pushing the database
    /// there. At most 3 at once: Autotask's thread limit per object endpoint and integration code.
    /// </summary>
    public static ApiLimits AutotaskPsa(int sharePercent = AutotaskDefaultSharePercent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sharePercent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sharePercent, 100);
        return new ApiLimits(Math.Max(1, AutotaskRequestsPerHour * sharePercent / 100 / 60), 3);
    }

    /// <summary>
    /// How far ahead of the steady pace a burst may run. The pace is set so that pace plus burst never exceeds
    /// <see cref="RequestsPerMinute"/> in any 60-second window (GCRA: at most W/T + B requests in a window W).
    /// </summary>
    public int Burst => RequestsPerMinute <= 0 ? 0 : Math.Max(1, RequestsPerMinute / 25);

    /// <summary>The steady interval between requests.</summary>
    public TimeSpan Interval => RequestsPerMinute <= 0
        ? TimeSpan.Zero
        : TimeSpan.FromTicks(TimeSpan.FromMinutes(1).Ticks / Math.Max(1, RequestsPerMinute - Burst - 2));
}
