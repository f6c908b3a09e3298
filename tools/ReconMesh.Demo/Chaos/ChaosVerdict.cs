namespace ReconMesh.Demo.Chaos;

/// <summary>
/// The run's verdict, tenant by tenant (<see cref="ChaosBooks"/> says what each count means): each tenant's own tally,
/// summed into the run's, and the payouts of the tenants paid out.
/// </summary>
internal static class ChaosVerdict
{
    public sealed record Verdict(ChaosBooks.Tally Run, IReadOnlyList<(ChaosTenant Tenant, ChaosBooks.Tally Tally)> ByTenant,
        IReadOnlyList<SandboxClient.PlatformPayout> Payouts);

    public static async Task<Verdict> CheckAllAsync(SandboxClient sandbox, WritebackClient writeback, IReadOnlyList<ChaosTenant> tenants)
    {
        var run = new ChaosBooks.Tally();
        var byTenant = new List<(ChaosTenant, ChaosBooks.Tally)>();
        var payouts = new List<SandboxClient.PlatformPayout>();
        foreach (var tenant in tenants)
        {
            var tally = new ChaosBooks.Tally();
            payouts.AddRange(await CheckAsync(sandbox, writeback, tenant, tally));
            run.Add(tally);
            byTenant.Add((tenant, tally));
        }

        return new Verdict(run, byTenant, payouts);
    }

    /// <summary>The figures of each tenant, for summary.json, by tenant kind.</summary>
    public static Dictionary<string, object> Figures(Verdict verdict) => verdict.ByTenant.ToDictionary(t => t.Tenant.Kind, t => (object)new
    {
        payments = t.Tenant.Ledger.Payments.Count, lost = t.Tally.Lost, duplicated = t.Tally.Duplicated, wrongAmount = t.Tally.WrongAmount,
        depositsWrong = t.Tally.DepositsWrong, stuck = t.Tally.Stuck, needsAttention = t.Tally.NeedsAttention, transientExceptions = t.Tally.TransientExceptions,
    });

    /// <summary>
    /// One tenant's verdict: its primary integration's books (an Autotask database's paid marks), the paired QuickBooks
    /// company's, the payouts against the deposits in its accounting system (QuickBooks or Xero), and the mesh's account
    /// of its payments. Answers the tenant's payouts.
    /// </summary>
    private static async Task<IReadOnlyList<SandboxClient.PlatformPayout>> CheckAsync(SandboxClient sandbox, WritebackClient writeback, ChaosTenant tenant,
        ChaosBooks.Tally tally)
    {
        var exceptions = await writeback.ExceptionsAsync(tenant.Id);
        var states = await writeback.StatesAsync(tenant.Id);
        var accountedFor = exceptions.Select(e => e.PaymentId).Concat(states.Oldest.Select(p => p.PaymentId)).ToHashSet(StringComparer.Ordinal);
        ChaosBooks.Books? accounting = null;
        if (tenant.Autotask is { } database)
        {
            ChaosBooks.CheckPaidMarks(tenant.Kind, tenant.Ledger, (await sandbox.AutotaskBooksAsync(database)).Invoices, accountedFor, tally);
        }
        else
        {
            accounting = await BooksAsync(sandbox, tenant, primary: true);
            ChaosBooks.CheckBooks(tenant.Kind, tenant.Id, tenant.Ledger, tenant.Before, accounting, accountedFor, id => id,
                reinstated: tenant is { ConnectWise: false, Xero: null }, tally);
        }

        if (tenant.Paired)
        {
            accounting = await BooksAsync(sandbox, tenant, primary: false);
            ChaosBooks.CheckBooks($"{tenant.Kind} (QuickBooks)", tenant.Id, tenant.Ledger, tenant.PairedBefore!, accounting, accountedFor,
                id => tenant.PairedInvoices.GetValueOrDefault(id, $"(no QuickBooks invoice for the PSA's invoice {id})"), reinstated: true, tally);
        }

        ChaosBooks.CheckStates(tenant.Kind, tenant.Ledger, exceptions, states, tally);
        if (!tenant.PaysOut)
        {
            return [];
        }

        var payouts = await sandbox.PlatformPayoutsAsync(tenant.Id);
        ChaosBooks.CheckPayouts(tenant, tenant.PairedBefore ?? tenant.Before, accounting!, payouts, tally);
        return payouts;
    }

    /// <summary>
    /// The tenant's primary integration's books, or (<paramref name="primary"/> false) the QuickBooks company its PSA is
    /// paired with. An Autotask database keeps no amounts: its tenant's books are its QuickBooks company's either way.
    /// </summary>
    public static async Task<ChaosBooks.Books> BooksAsync(SandboxClient sandbox, ChaosTenant tenant, bool primary) => tenant switch
    {
        { ConnectWise: true } when primary => ChaosBooks.FromConnectWise(await sandbox.ConnectWiseBooksAsync(tenant.Site!)),
        { Xero: { } organisation } => ChaosBooks.FromXero(await sandbox.XeroBooksAsync(organisation)),
        _ => ChaosBooks.FromQuickBooks(await sandbox.BooksAsync(tenant.Realm!)),
    };
}
