namespace ReconMesh.InvoiceIngest.Connections;

/// <summary>Whether a connection's sync runs.</summary>
public enum ConnectionStatus
{
    /// <summary>Syncing on its schedule and on webhooks.</summary>
    Active,

    /// <summary>The integration refused the connection's credentials: nothing is asked of it until they change or an operator resumes.</summary>
    CredentialsRejected,

    /// <summary>An operator paused it.</summary>
    PausedByOperator,

    /// <summary>A tenant removed it (<c>DELETE</c>): it will not sync or be written to again. Shown, never stored here.</summary>
    Removed,
}

/// <summary>
/// A connection's status, shared by every replica (a Marten document keyed by the connection id). The credentials
/// themselves are never stored: only the fingerprint of those that were rejected, to tell when they were replaced.
/// </summary>
public sealed class ConnectionState
{
    public Guid Id { get; set; }

    public string TenantId { get; set; } = "";

    public ConnectionStatus Status { get; set; }

    /// <summary>Why it is not active, in words an operator can act on (the integration's answer included).</summary>
    public string? Reason { get; set; }

    /// <summary>Since when it has had this status.</summary>
    public DateTimeOffset? Since { get; set; }

    /// <summary><see cref="Integrations.Connections.ConnectionSettings.CredentialsFingerprint"/> of the rejected credentials.</summary>
    public string? RejectedCredentials { get; set; }

    /// <summary>Syncs the integration refused for credentials since the connection was last active.</summary>
    public int RejectedAttempts { get; set; }

    /// <summary>
    /// Why the last sync that failed failed (the integration's answer, or what was wrong with it, e.g. an HTML page
    /// where JSON was expected). Kept after the syncs succeed again, for an operator to see what happened; null if none did.
    /// </summary>
    public string? LastSyncFailure { get; set; }

    /// <summary>When the last sync that failed failed.</summary>
    public DateTimeOffset? LastSyncFailedAt { get; set; }

    /// <summary>Syncs that failed in a row since the last one that succeeded (0 when the last one succeeded).</summary>
    public int FailedSyncsInARow { get; set; }

    public bool IsPaused => Status != ConnectionStatus.Active;
}
