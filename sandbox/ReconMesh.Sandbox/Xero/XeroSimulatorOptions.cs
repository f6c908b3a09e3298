namespace ReconMesh.Sandbox.Xero;

/// <summary>Settings of the Xero simulator, read from the <c>Sandbox:Xero</c> configuration section.</summary>
public sealed class XeroSimulatorOptions
{
    /// <summary>Configuration section the options are read from.</summary>
    public const string SectionName = "Sandbox:Xero";

    /// <summary><c>xero-tenant-id</c> of the organisation that exists from start.</summary>
    public string TenantId { get; set; } = "6c2a3b8e-5d1f-4c7a-9e0b-2f4d6a8c0e1f";

    /// <summary>Bearer token connected to the default organisation.</summary>
    public string AccessToken { get; set; } = "sandbox-xero-token";

    /// <summary>Calls per organisation in any 60-second window before HTTP 429 (Xero: 60; 0 turns the limit off).</summary>
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>Calls per organisation in flight at once before HTTP 429 (Xero: 5; 0 turns the limit off).</summary>
    public int MaxConcurrent { get; set; } = 5;

    /// <summary>Calls per organisation in a day before HTTP 429 (Xero: 5,000; 0 turns the limit off).</summary>
    public int RequestsPerDay { get; set; } = 5000;

    /// <summary>Calls across every organisation in any 60-second window, reported in <c>X-AppMinLimit-Remaining</c> (Xero: 10,000; 0 turns the limit off).</summary>
    public int AppRequestsPerMinute { get; set; } = 10_000;

    /// <summary>
    /// Whether an <c>Idempotency-Key</c> header on PUT, POST and PATCH replays the first answer. Xero's developer
    /// documentation describes the header; domain.md still lists it as unconfirmed, so it can be turned off.
    /// </summary>
    public bool IdempotencyKeys { get; set; } = true;

    /// <summary>How long (minutes) an idempotency key's answer is replayed (public write-ups of Xero's docs say 6 minutes).</summary>
    public int IdempotencyRetentionMinutes { get; set; } = 6;

    /// <summary>How many idempotency answers an organisation keeps (the newest ones); bounds memory on long runs.</summary>
    public int IdempotencyCapacity { get; set; } = 50_000;

    /// <summary>The app's webhook key: deliveries are signed with it (<c>x-xero-signature</c>); the admin API may set another.</summary>
    public string WebhookKey { get; set; } = "sandbox-xero-webhook-key";

    /// <summary>Webhook events are batched and sent every this many milliseconds.</summary>
    public int WebhookBatchMilliseconds { get; set; } = 500;

    /// <summary>How often a failed webhook POST is retried before the batch is dropped.</summary>
    public int WebhookRetries { get; set; } = 3;

    /// <summary>Wait before the first retry of a failed webhook POST; doubled before each further retry.</summary>
    public int WebhookRetryMilliseconds { get; set; } = 1000;

    /// <summary>Where an event's <c>resourceUrl</c> points (Xero's API by default; the sandbox's own base URL works too).</summary>
    public string WebhookResourceBaseUrl { get; set; } = "https://api.xero.com/api.xro/2.0/";
}
