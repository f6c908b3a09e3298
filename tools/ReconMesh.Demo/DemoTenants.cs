using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReconMesh.Demo;

/// <summary>
/// The demo's two tenants, all of whose names and credentials derive from the run id (so <c>seed</c>, the services'
/// settings and <c>run</c> agree without passing secrets around): a partner on QuickBooks Online, and a partner whose
/// ConnectWise PSA keeps the invoices, paired with the QuickBooks company its PSA-to-accounting sync posts them to.
/// </summary>
internal sealed record DemoTenants(DemoTenants.Tenant QuickBooks, DemoTenants.Tenant ConnectWise)
{
    /// <summary>
    /// One tenant: its QuickBooks company (the only integration of the first tenant, the secondary of the second) and,
    /// for the second, its ConnectWise site.
    /// </summary>
    public sealed record Tenant(string Label, string Id, string Realm, string Token, Guid QuickBooksConnection, Site? ConnectWise);

    public sealed record Site(string CompanyId, string PublicKey, string PrivateKey, string ClientId, Guid Connection);

    public IReadOnlyList<Tenant> All => [QuickBooks, ConnectWise];

    public static DemoTenants For(string runId)
    {
        var id = new string([.. runId.Where(char.IsAsciiLetterOrDigit)]).ToLowerInvariant();
        return new DemoTenants(
            new Tenant("quickbooks", $"demo-qbo-{id}", Realm(runId, "a"), Secret(runId, "qbo-a"), Guid(runId, "qbo-a"), null),
            new Tenant("connectwise", $"demo-cw-{id}", Realm(runId, "b"), Secret(runId, "qbo-b"), Guid(runId, "qbo-b"),
                new Site($"demo{id}", "demo-public", Secret(runId, "cw"), Guid(runId, "cw-client").ToString(), Guid(runId, "cw"))));
    }

    /// <summary>
    /// Creates the companies and the site, seeds them with <paramref name="invoices"/> open invoices each, and posts the
    /// site's invoices to the paired company under the same numbers. The integrations' rate limits are off in the
    /// sandbox and on the connections (see <see cref="ConnectionSettings"/>).
    /// </summary>
    public async Task SeedAsync(SandboxClient sandbox, int invoices)
    {
        await sandbox.CreateCompanyAsync(QuickBooks.Realm, QuickBooks.Token, requestsPerMinute: 0, maxConcurrent: 0);
        await sandbox.SeedAsync(QuickBooks.Realm, Math.Max(1, invoices / 4), invoices);
        var site = ConnectWise.ConnectWise!;
        await sandbox.CreateConnectWiseSiteAsync(site.CompanyId, site.PublicKey, site.PrivateKey, site.ClientId, requestsPerMinute: 0);
        await sandbox.SeedConnectWiseAsync(site.CompanyId, Math.Max(1, invoices / 10), invoices, seed: 7);
        await sandbox.CreateCompanyAsync(ConnectWise.Realm, ConnectWise.Token, requestsPerMinute: 0, maxConcurrent: 0);
        await sandbox.MirrorConnectWiseInQuickBooksAsync(site.CompanyId, ConnectWise.Realm, ConnectWise.Token);
    }

    /// <summary>
    /// The services' <c>ReconMesh:Connections</c> (as environment variables): the QuickBooks connection of the first
    /// tenant; the ConnectWise connection of the second with <c>SecondaryConnectionId</c> naming its QuickBooks one.
    /// Payouts are deposited to the sandbox's Checking account (35). The connections' own limits are off too: at
    /// QuickBooks' 500 requests a minute a month of a few thousand payments would take a quarter of an hour
    /// (<c>./run bench</c> measures the mesh at the real limits).
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
            Connection(n++, ("Id", tenant.QuickBooksConnection.ToString()), ("TenantId", tenant.Id), ("Kind", "QuickBooksOnline"), ("RealmId", tenant.Realm),
                ("AccessToken", tenant.Token), ("DepositAccountId", "35"));
            if (tenant.ConnectWise is { } site)
            {
                Connection(n++, ("Id", site.Connection.ToString()), ("TenantId", tenant.Id), ("Kind", "ConnectWisePsa"), ("CompanyId", site.CompanyId),
                    ("PublicKey", site.PublicKey), ("PrivateKey", site.PrivateKey), ("ClientId", site.ClientId),
                    ("SecondaryConnectionId", tenant.QuickBooksConnection.ToString()));
            }
        }

        return settings;
    }

    private static byte[] Hash(string runId, string what) => SHA256.HashData(Encoding.UTF8.GetBytes($"reconmesh-demo/{runId}/{what}"));

    private static string Secret(string runId, string what) => Convert.ToHexStringLower(Hash(runId, what).AsSpan(0, 16));

    private static Guid Guid(string runId, string what) => new(Hash(runId, what).AsSpan(0, 16));

    private static string Realm(string runId, string what) =>
        "9130" + (BitConverter.ToUInt64(Hash(runId, "realm-" + what), 0) % 1_000_000_000_000UL).ToString("D12", CultureInfo.InvariantCulture);
}
