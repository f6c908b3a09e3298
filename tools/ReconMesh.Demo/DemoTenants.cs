using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReconMesh.Demo;

/// <summary>
/// The demo's six tenants, all of whose names and credentials derive from the run id (so <c>seed</c>, the services'
/// settings and <c>run</c> agree without passing secrets around): a partner on QuickBooks Online; a partner whose
/// ConnectWise PSA keeps the invoices, paired with the QuickBooks company its PSA-to-accounting sync posts them to; a
/// partner on Xero; a partner whose ConnectWise PSA is paired with Xero; and two partners whose Autotask PSA is paired,
/// one with QuickBooks Online, one with Xero.
/// </summary>
internal sealed record DemoTenants(DemoTenants.Tenant QuickBooks, DemoTenants.Tenant ConnectWise, DemoTenants.Tenant Xero, DemoTenants.Tenant ConnectWiseXero,
    DemoTenants.Tenant Autotask, DemoTenants.Tenant AutotaskXero)
{
    /// <summary>
    /// One tenant: its books (a QuickBooks company, or with <paramref name="Xero"/> a Xero organisation: the only
    /// integration of a tenant without a site, the secondary of one with) and its ConnectWise site, if it has one.
    /// <paramref name="BooksConnection"/> is the books' connection id; <paramref name="Autotask"/> the Autotask database
    /// that keeps its invoices, if it has one.
    /// </summary>
    public sealed record Tenant(string Label, string Id, string Realm, string Token, Guid BooksConnection, Site? ConnectWise, XeroOrganisation? Xero = null,
        AutotaskDatabase? Autotask = null);

    public sealed record AutotaskDatabase(string DatabaseId, string UserName, string Secret, string IntegrationCode, Guid Connection);

    public sealed record Site(string CompanyId, string PublicKey, string PrivateKey, string ClientId, Guid Connection);

    public sealed record XeroOrganisation(Guid TenantId);

    public IReadOnlyList<Tenant> All => [QuickBooks, ConnectWise, Xero, ConnectWiseXero, Autotask, AutotaskXero];

    public static DemoTenants For(string runId)
    {
        var id = new string([.. runId.Where(char.IsAsciiLetterOrDigit)]).ToLowerInvariant();
        return new DemoTenants(
            new Tenant("quickbooks", $"demo-qbo-{id}", Realm(runId, "a"), Secret(runId, "qbo-a"), Guid(runId, "qbo-a"), null),
            new Tenant("connectwise", $"demo-cw-{id}", Realm(runId, "b"), Secret(runId, "qbo-b"), Guid(runId, "qbo-b"), SiteOf(runId, $"demo{id}", "cw")),
            new Tenant("xero", $"demo-xero-{id}", "", Secret(runId, "xero-c"), Guid(runId, "xero-c"), null, new XeroOrganisation(Guid(runId, "xero-org-c"))),
            new Tenant("cw+xero", $"demo-cwx-{id}", "", Secret(runId, "xero-d"), Guid(runId, "xero-d"), SiteOf(runId, $"demox{id}", "cwx"),
                new XeroOrganisation(Guid(runId, "xero-org-d"))),
            new Tenant("autotask", $"demo-at-{id}", Realm(runId, "e"), Secret(runId, "qbo-e"), Guid(runId, "qbo-e"), null, null,
                new AutotaskDatabase($"demo{id}", $"api-{id}@demo.reconmesh.test", Secret(runId, "at"), $"DEMO{id.ToUpperInvariant()}", Guid(runId, "at"))),
            new Tenant("at+xero", $"demo-atx-{id}", "", Secret(runId, "xero-f"), Guid(runId, "xero-f"), null, new XeroOrganisation(Guid(runId, "xero-org-f")),
                new AutotaskDatabase($"demox{id}", $"api-x-{id}@demo.reconmesh.test", Secret(runId, "atx"), $"DEMOX{id.ToUpperInvariant()}", Guid(runId, "atx"))));
    }

    /// <summary>
    /// Creates the companies, organisations and sites, seeds them with <paramref name="invoices"/> open invoices each, and
    /// posts each site's invoices to its paired books under the same numbers. The integrations' rate limits are off in
    /// the sandbox and on the connections (see <see cref="ConnectionSettings"/>).
    /// </summary>
    public async Task SeedAsync(SandboxClient sandbox, int invoices)
    {
        await sandbox.CreateCompanyAsync(QuickBooks.Realm, QuickBooks.Token, requestsPerMinute: 0, maxConcurrent: 0);
        await sandbox.SeedAsync(QuickBooks.Realm, Math.Max(1, invoices / 4), invoices);
        var site = await SeedSiteAsync(sandbox, ConnectWise, invoices);
        await sandbox.CreateCompanyAsync(ConnectWise.Realm, ConnectWise.Token, requestsPerMinute: 0, maxConcurrent: 0);
        await sandbox.MirrorConnectWiseInQuickBooksAsync(site.CompanyId, ConnectWise.Realm, ConnectWise.Token);

        await sandbox.CreateXeroOrganisationAsync(Xero.Xero!.TenantId, Xero.Token);
        await sandbox.SeedXeroAsync(Xero.Xero.TenantId, Math.Max(1, invoices / 4), invoices, seed: 11);
        await sandbox.AddXeroPayoutAccountsAsync(Xero.Xero.TenantId);
        var xeroSite = await SeedSiteAsync(sandbox, ConnectWiseXero, invoices);
        await sandbox.CreateXeroOrganisationAsync(ConnectWiseXero.Xero!.TenantId, ConnectWiseXero.Token);
        await sandbox.MirrorConnectWiseInXeroAsync(ConnectWiseXero.Xero.TenantId, xeroSite.CompanyId);
        await sandbox.AddXeroPayoutAccountsAsync(ConnectWiseXero.Xero.TenantId);

        var database = await SeedDatabaseAsync(sandbox, Autotask, invoices, seed: 13);
        await sandbox.CreateCompanyAsync(Autotask.Realm, Autotask.Token, requestsPerMinute: 0, maxConcurrent: 0);
        await sandbox.MirrorAutotaskInQuickBooksAsync(database.DatabaseId, Autotask.Realm);

        var xeroDatabase = await SeedDatabaseAsync(sandbox, AutotaskXero, invoices, seed: 17);
        await sandbox.CreateXeroOrganisationAsync(AutotaskXero.Xero!.TenantId, AutotaskXero.Token);
        await sandbox.MirrorAutotaskInXeroAsync(AutotaskXero.Xero.TenantId, xeroDatabase.DatabaseId);
        await sandbox.AddXeroPayoutAccountsAsync(AutotaskXero.Xero.TenantId);
    }

    /// <summary>
    /// The services' <c>ReconMesh:Connections</c> (as environment variables): each tenant's books, and for a tenant with a
    /// site its ConnectWise connection with <c>SecondaryConnectionId</c> naming them. QuickBooks payouts are deposited to
    /// the sandbox's Checking account (35); Xero payments go to the platform's clearing account, payouts are transferred
    /// to the bank account (090) and their fees spent to Bank Fees (404). The connections' own limits are off too: at
    /// QuickBooks' 500 requests a minute (Xero's 60) a month of a few thousand payments would take a quarter of an hour
    /// or more (<c>./run bench</c> measures the mesh at the real limits).
    /// </summary>
    public IReadOnlyList<string> ConnectionSettings(Uri sandbox)
    {
        var settings = new List<string>();
        void Connection(int n, params (string Key, string Value)[] values)
        {
            foreach (var (key, value) in values.Concat([("BaseUrl", sandbox.ToString()), ("PollInterval", "00:00:01"), ("RequestsPerMinute", "0"), ("MaxConcurrent", "0")]))
            {
                settings.Add($"ReconMesh__Connections__{n.ToString(CultureInfo.InvariantCulture)}__{key}={value}");
            }
        }

        var n = 0;
        foreach (var tenant in All)
        {
            (string, string)[] books = tenant.Xero is { } organisation
                ? [("Kind", "Xero"), ("XeroTenantId", organisation.TenantId.ToString()), ("PaymentsAccountId", SandboxClient.XeroClearingAccount),
                    ("DepositAccountId", SandboxClient.XeroBankAccount), ("FeesAccountId", SandboxClient.XeroFeesAccount)]
                : [("Kind", "QuickBooksOnline"), ("RealmId", tenant.Realm), ("DepositAccountId", "35")];
            Connection(n++, [("Id", tenant.BooksConnection.ToString()), ("TenantId", tenant.Id), ("AccessToken", tenant.Token), .. books]);
            if (tenant.ConnectWise is { } site)
            {
                Connection(n++, ("Id", site.Connection.ToString()), ("TenantId", tenant.Id), ("Kind", "ConnectWisePsa"), ("CompanyId", site.CompanyId),
                    ("PublicKey", site.PublicKey), ("PrivateKey", site.PrivateKey), ("ClientId", site.ClientId),
                    ("SecondaryConnectionId", tenant.BooksConnection.ToString()));
            }

            if (tenant.Autotask is { } database)
            {
                // Its zone is looked up by user at the sandbox, as at webservices.autotask.net.
                Connection(n++, ("Id", database.Connection.ToString()), ("TenantId", tenant.Id), ("Kind", "AutotaskPsa"), ("UserName", database.UserName),
                    ("Secret", database.Secret), ("IntegrationCode", database.IntegrationCode), ("SecondaryConnectionId", tenant.BooksConnection.ToString()));
            }
        }

        return settings;
    }

    private static async Task<Site> SeedSiteAsync(SandboxClient sandbox, Tenant tenant, int invoices)
    {
        var site = tenant.ConnectWise!;
        await sandbox.CreateConnectWiseSiteAsync(site.CompanyId, site.PublicKey, site.PrivateKey, site.ClientId, requestsPerMinute: 0);
        await sandbox.SeedConnectWiseAsync(site.CompanyId, Math.Max(1, invoices / 10), invoices, seed: 7);
        return site;
    }

    /// <summary>An Autotask database of about <paramref name="invoices"/> open invoices, ten to a company (a few more when they do not divide).</summary>
    private static async Task<AutotaskDatabase> SeedDatabaseAsync(SandboxClient sandbox, Tenant tenant, int invoices, int seed)
    {
        var database = tenant.Autotask!;
        await sandbox.CreateAutotaskDatabaseAsync(database.DatabaseId, database.UserName, database.Secret, database.IntegrationCode);
        var companies = Math.Max(1, invoices / 10);
        await sandbox.SeedAutotaskAsync(database.DatabaseId, companies, (invoices + companies - 1) / companies, seed);
        return database;
    }

    private static Site SiteOf(string runId, string companyId, string what) =>
        new(companyId, "demo-public", Secret(runId, what), Guid(runId, what + "-client").ToString(), Guid(runId, what));

    private static byte[] Hash(string runId, string what) => SHA256.HashData(Encoding.UTF8.GetBytes($"reconmesh-demo/{runId}/{what}"));

    private static string Secret(string runId, string what) => Convert.ToHexStringLower(Hash(runId, what).AsSpan(0, 16));

    private static Guid Guid(string runId, string what) => new(Hash(runId, what).AsSpan(0, 16));

    private static string Realm(string runId, string what) =>
        "9130" + (BitConverter.ToUInt64(Hash(runId, "realm-" + what), 0) % 1_000_000_000_000UL).ToString("D12", CultureInfo.InvariantCulture);
}
