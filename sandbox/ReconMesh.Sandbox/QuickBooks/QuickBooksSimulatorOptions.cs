namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>Settings of the QuickBooks Online simulator, read from the <c>Sandbox:QuickBooks</c> configuration section.</summary>
public sealed class QuickBooksSimulatorOptions
{
    /// <summary>Configuration section the options are read from.</summary>
    public const string SectionName = "Sandbox:QuickBooks";

    /// <summary>Realm id of the company that exists from start.</summary>
    public string RealmId { get; set; } = "9130357766900000";

    /// <summary>Bearer token the default company accepts.</summary>
    public string AccessToken { get; set; } = "sandbox-qbo-token";

    /// <summary>Requests per company in any 60-second window before HTTP 429 (0 disables the limit).</summary>
    public int RequestsPerMinute { get; set; } = 500;

    /// <summary>Requests per company in flight at once before HTTP 429 (0 disables the limit).</summary>
    public int MaxConcurrent { get; set; } = 10;

    /// <summary>Time zone of the simulated companies (QuickBooks reports times in the company's zone); UTC when unknown.</summary>
    public string TimeZone { get; set; } = "America/Los_Angeles";

    /// <summary>Webhook notifications are batched and sent every this many milliseconds.</summary>
    public int WebhookBatchMilliseconds { get; set; } = 500;

    /// <summary>How often a failed webhook POST is retried before the batch is dropped.</summary>
    public int WebhookRetries { get; set; } = 3;

    /// <summary>Wait before the first retry of a failed webhook POST; doubled before each further retry.</summary>
    public int WebhookRetryMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How many <c>requestid</c> answers a company keeps for replay (the newest ones); 0 keeps none. QuickBooks keeps
    /// requestids only for a while; the simulator bounds them so a long run does not grow without end.
    /// </summary>
    public int RequestIdCapacity { get; set; } = 50_000;

    /// <summary>How long (minutes) a <c>requestid</c> answer is replayed after it was given; a later repeat is a new request.</summary>
    public int RequestIdRetentionMinutes { get; set; } = 24 * 60;
}
