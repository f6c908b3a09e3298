namespace ReconMesh.InvoiceIngest.Invoices;

/// <summary>
/// Which invoice messages InvoiceIngest publishes (<c>ReconMesh:Contracts</c>). Since contracts 1.4.0 invoices travel
/// combined (<c>InvoicesSynced</c>, up to a hundred of a connection in a message); before, each was a message of its own
/// (<c>InvoiceSynced</c>). Consumers built against the older contract keep receiving it while
/// <see cref="PublishInvoiceSyncedAlone"/> is on, as the contracts' versioning promises; once every subscriber reads
/// <c>InvoicesSynced</c>, turn it off: a message per invoice is most of the bus's work in an initial sync.
/// </summary>
public sealed class InvoiceContractOptions
{
    public const string Section = "ReconMesh:Contracts";

    /// <summary>Also publish each invoice's state alone, as <c>InvoiceSynced</c> (deprecated since 1.4.0). On by default.</summary>
    public bool PublishInvoiceSyncedAlone { get; set; } = true;
}
