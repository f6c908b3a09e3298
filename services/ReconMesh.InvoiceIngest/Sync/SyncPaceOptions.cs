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

    /// <summary>
    /// A connection's sync is woken once this many of its invoices were written back since its last pass (still no
    /// sooner than <see cref="WokenPassGap"/> after it), so the reads that confirm a burst of payments come a page or two
    /// at a time while it lasts, not as one read of the whole burst at the next poll, beside the payments that follow it
    /// (issue #14: 12,000 invoices read in 2.6 s, payments of those seconds up to 325 ms). 1,000 by default: one page of a
    /// QuickBooks read. 0 leaves written-back invoices to the poll.
    /// </summary>
    [Range(0, 1_000_000)]
    public int WrittenBackWake { get; set; } = 1_000;
}
