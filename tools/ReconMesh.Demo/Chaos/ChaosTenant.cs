namespace ReconMesh.Demo.Chaos;

/// <summary>
/// One tenant of the run and its integrations, as the run drives and checks them: <paramref name="kind"/> names it in
/// the summary; <paramref name="realm"/> is its QuickBooks company (its only integration, or the secondary its
/// ConnectWise <paramref name="site"/> or Autotask database <paramref name="autotask"/> is paired with), or <paramref name="xero"/> its Xero organisation;
/// <paramref name="paysOut"/>: the platform pays its payments out and the mesh records each payout as a deposit in
/// QuickBooks (in Xero: a transfer from the clearing account to the bank, and a spend of its fees).
/// </summary>
internal sealed class ChaosTenant(string kind, string id, string? realm, string? site, bool paysOut, Guid? xero = null, string? autotask = null)
{
    public string Kind { get; } = kind;

    public string Id { get; } = id;

    public string? Realm { get; } = realm;

    public string? Site { get; } = site;

    public bool PaysOut { get; } = paysOut;

    public Guid? Xero { get; } = xero;

    /// <summary>The Autotask database that keeps the tenant's invoices (its paid marks), if it has one.</summary>
    public string? Autotask { get; } = autotask;

    /// <summary>What the platform processed for this tenant, by the invoice id of its primary integration.</summary>
    public DemoLedger Ledger { get; } = new();

    /// <summary>The primary integration's books before the payments.</summary>
    public ChaosBooks.Books Before { get; set; } = new([], new Dictionary<string, decimal>(), new Dictionary<string, decimal>(), [], new Dictionary<string, decimal>());

    /// <summary>For a PSA paired with QuickBooks: the QuickBooks company's books before the payments.</summary>
    public ChaosBooks.Books? PairedBefore { get; set; }

    /// <summary>For a PSA paired with QuickBooks: the QuickBooks invoice of the same number, by the PSA's invoice id.</summary>
    public IReadOnlyDictionary<string, string> PairedInvoices { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public bool ConnectWise => Site is not null;

    /// <summary>A PSA (ConnectWise or Autotask) keeps the invoices, and the QuickBooks company <see cref="Realm"/> the money.</summary>
    public bool Paired => (Site is not null || Autotask is not null) && Realm is not null;
}
