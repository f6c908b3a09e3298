using System.ComponentModel.DataAnnotations;

namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>How often InvoiceIngest reads a connection's integration when woken (<c>ReconMesh:Sync</c>).</summary>
public sealed class SyncPaceOptions
{
    public const string Section = "ReconMesh:Sync";

    /// <summary>
    /// A pass woken by a webhook or a written-back payment starts no sooner than this after the previous pass ended (or
    /// the poll interval, if shorter): a burst of payments costs the integration's rate limit one read every few
    /// seconds, not one per payment, and woken passes never run back to back. 5 seconds by default.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan WokenPassGap { get; set; } = TimeSpan.FromSeconds(5);
}
