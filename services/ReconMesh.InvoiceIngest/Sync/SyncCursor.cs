namespace ReconMesh.InvoiceIngest.Sync;

/// <summary>
/// Where a connection's sync stands, saved in the same transaction as the events of the page it follows, so a
/// crash resumes after the last recorded page without re-appending or skipping anything.
/// </summary>
public sealed class SyncCursor
{
    /// <summary>The connection id.</summary>
    public Guid Id { get; set; }

    public bool InitialSyncComplete { get; set; }

    /// <summary>1-based position of the next page of the initial sync.</summary>
    public int NextPosition { get; set; } = 1;

    /// <summary>When the initial sync started; incremental sync reads changes from a little before it.</summary>
    public DateTimeOffset? InitialSyncStartedAt { get; set; }

    /// <summary>
    /// When the current full read of the initial sync started (a second one starts if deletions during the first may
    /// have shifted its pages, see <see cref="IInvoiceSource.MayHaveShiftedAsync"/>).
    /// </summary>
    public DateTimeOffset? FullReadStartedAt { get; set; }

    /// <summary>Full reads the initial sync has made (more than one only when deletions may have shifted pages).</summary>
    public int FullReads { get; set; }

    /// <summary>Incremental sync reads invoices changed at or after this instant.</summary>
    public DateTimeOffset? ChangedSince { get; set; }

    /// <summary>
    /// For a source with bounded change reads (<see cref="IBoundedChangeReads"/>): every change stamped before this instant
    /// has been asked for at least a whole overlap after it was stamped, so one the integration showed late has been read.
    /// Null until the first incremental pass that knows when the integration answered.
    /// </summary>
    public DateTimeOffset? SettledThrough { get; set; }

    /// <summary>The end of the stretch being settled, from <see cref="SettledThrough"/>; null when none is.</summary>
    public DateTimeOffset? SettleUntil { get; set; }

    /// <summary>1-based position of the next page of the stretch being settled.</summary>
    public int SettlePosition { get; set; } = 1;

    public DateTimeOffset? LastSyncAt { get; set; }

    /// <summary>When every open invoice was last checked against an integration that does not report deletions.</summary>
    public DateTimeOffset? LastReconciledAt { get; set; }
}
