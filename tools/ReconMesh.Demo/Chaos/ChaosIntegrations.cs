using System.Globalization;
using System.Security.Cryptography;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// The run's six tenants and their integrations in the sandbox: a QuickBooks company; a ConnectWise site; a ConnectWise
/// site paired with the QuickBooks company its PSA-to-accounting sync posts to; a Xero organisation; an Autotask database
/// paired with the QuickBooks company its invoices are posted to; and a QuickBooks company at QuickBooks' real limits, whose request budget another client spends a part of while payments flow. With the services'
/// connection settings for them (<c>ReconMesh:Connections:N:*</c>, as the demo configures them), and the faults the
/// simulators inject.
/// </summary>
internal static class ChaosIntegrations
{
    /// <summary>Payouts are deposited to the sandbox company's Checking account.</summary>
    private const string Checking = "35";

    /// <summary>How often InvoiceIngest looks for new invoices of the tenant at real limits: polling spends its budget too.</summary>
    private const string LimitedPollInterval = "00:00:10";

    public sealed record Setup(IReadOnlyList<ChaosTenant> Tenants, Dictionary<string, string> Settings, ChaosTenant Limited, string LimitedToken);

    /// <summary>
    /// Creates the companies, sites, organisation and database, seeds each with open invoices (<paramref name="invoices"/>
    /// by tenant kind), mirrors the paired site's and the database's invoices in their QuickBooks companies, and answers
    /// the six tenants and the services' settings. The first five integrations' own rate limits are off (Autotask's hourly
    /// threshold and thread limit too) (the run is about faults, and at QuickBooks' 500
    /// requests a minute 1,000 payments alone take ten minutes, at Xero's 60 over an hour); the last keeps QuickBooks'
    /// real limits, in the sandbox and on its connection, so that the mesh's limiter, shared by the replicas, meets
    /// another client's spending. The Xero organisation books payments to the platform's clearing account, and records
    /// payouts as transfers to its bank with the fees spent to Bank Fees, as the demo's does (docs/accounting.md, Xero).
    /// </summary>
    public static async Task<Setup> SetUpAsync(SandboxClient sandbox, ChaosOptions options, IReadOnlyDictionary<string, int> invoices, Random random)
    {
        var quickBooks = new ChaosTenant("quickbooks", "chaos-quickbooks", "9130000000020260", null, paysOut: true);
        var connectWise = new ChaosTenant("connectwise", "chaos-connectwise", null, "chaossite", paysOut: false);
        var paired = new ChaosTenant("paired", "chaos-paired", "9130000000020261", "chaospaired", paysOut: true);
        var xero = new ChaosTenant("xero", "chaos-xero", null, null, paysOut: true, xero: SeededGuid(random));
        var autotask = new ChaosTenant("autotask", "chaos-autotask", "9130000000020263", null, paysOut: true, autotask: "chaosautotask");
        var limited = new ChaosTenant("limited", "chaos-limited", "9130000000020262", null, paysOut: false);
        var settings = new Dictionary<string, string>();
        var n = 0;
        void Connection(params (string Key, string Value)[] values)
        {
            foreach (var (key, value) in values)
            {
                settings[$"ReconMesh__Connections__{n.ToString(CultureInfo.InvariantCulture)}__{key}"] = value;
            }

            n++;
        }

        var sandboxUrl = options.Sandbox.ToString();
        (string, string)[] Unlimited(string poll = "00:00:01") => [("BaseUrl", sandboxUrl), ("PollInterval", poll), ("RequestsPerMinute", "0"), ("MaxConcurrent", "0")];

        var qboToken = Secret();
        await sandbox.CreateCompanyAsync(quickBooks.Realm!, qboToken, requestsPerMinute: 0, maxConcurrent: 0);
        await sandbox.SeedAsync(quickBooks.Realm!, Math.Max(1, invoices[quickBooks.Kind] / 4), invoices[quickBooks.Kind], options.Seed);
        Connection([("Id", SeededGuid(random).ToString()), ("TenantId", quickBooks.Id), ("Kind", "QuickBooksOnline"), ("RealmId", quickBooks.Realm!),
            ("AccessToken", qboToken), ("DepositAccountId", Checking), .. Unlimited()]);

        foreach (var site in new[] { connectWise, paired })
        {
            var privateKey = Secret();
            var clientId = SeededGuid(random).ToString();
            await sandbox.CreateConnectWiseSiteAsync(site.Site!, "chaos-public", privateKey, clientId, requestsPerMinute: 0);
            await sandbox.SeedConnectWiseAsync(site.Site!, Math.Max(1, invoices[site.Kind] / 4), invoices[site.Kind], options.Seed + site.Kind.Length);
            var secondary = SeededGuid(random);
            if (site.Paired)
            {
                var token = Secret();
                await sandbox.CreateCompanyAsync(site.Realm!, token, requestsPerMinute: 0, maxConcurrent: 0);
                await sandbox.MirrorConnectWiseInQuickBooksAsync(site.Site!, site.Realm!, token);
                Connection([("Id", secondary.ToString()), ("TenantId", site.Id), ("Kind", "QuickBooksOnline"), ("RealmId", site.Realm!),
                    ("AccessToken", token), ("DepositAccountId", Checking), .. Unlimited()]);
            }

            Connection([("Id", SeededGuid(random).ToString()), ("TenantId", site.Id), ("Kind", "ConnectWisePsa"), ("CompanyId", site.Site!),
                ("PublicKey", "chaos-public"), ("PrivateKey", privateKey), ("ClientId", clientId), .. Unlimited(),
                .. site.Paired ? new[] { ("SecondaryConnectionId", secondary.ToString()) } : []]);
        }

        var xeroToken = Secret();
        await sandbox.CreateXeroOrganisationAsync(xero.Xero!.Value, xeroToken);
        await sandbox.SeedXeroAsync(xero.Xero.Value, Math.Max(1, invoices[xero.Kind] / 4), invoices[xero.Kind], options.Seed + 11);
        await sandbox.AddXeroPayoutAccountsAsync(xero.Xero.Value);
        Connection([("Id", SeededGuid(random).ToString()), ("TenantId", xero.Id), ("Kind", "Xero"), ("XeroTenantId", xero.Xero.Value.ToString()),
            ("AccessToken", xeroToken), ("PaymentsAccountId", SandboxClient.XeroClearingAccount), ("DepositAccountId", SandboxClient.XeroBankAccount),
            ("FeesAccountId", SandboxClient.XeroFeesAccount), .. Unlimited()]);

        await SetUpAutotaskAsync(sandbox, autotask, invoices[autotask.Kind], options.Seed + 13, Connection, Unlimited(), random);

        // QuickBooks' real limits (the sandbox's defaults: 500 requests a minute, 10 at once) on the company and the connection.
        var limitedToken = Secret();
        await sandbox.CreateCompanyAsync(limited.Realm!, limitedToken);
        await sandbox.SeedAsync(limited.Realm!, Math.Max(1, invoices[limited.Kind] / 4), invoices[limited.Kind], options.Seed + 7);
        Connection(("Id", SeededGuid(random).ToString()), ("TenantId", limited.Id), ("Kind", "QuickBooksOnline"), ("RealmId", limited.Realm!),
            ("AccessToken", limitedToken), ("BaseUrl", sandboxUrl), ("PollInterval", LimitedPollInterval));

        Console.WriteLine($"[chaos] sandbox: {string.Join(", ", invoices.Select(i => $"{i.Key} {i.Value} open invoices"))}; " +
            $"{paired.Site} paired with QuickBooks company {paired.Realm}; Xero organisation {xero.Xero}; Autotask database {autotask.Autotask} paired with " +
            $"QuickBooks company {autotask.Realm}; {limited.Realm} at QuickBooks' real limits");
        return new Setup([quickBooks, connectWise, paired, xero, autotask, limited], settings, limited, limitedToken);
    }

    /// <summary>
    /// The Autotask database with exactly <paramref name="invoices"/> open invoices (as many per company as divides them
    /// evenly, about four), its invoices posted under the same numbers to its QuickBooks company, and the two connections:
    /// the company's, and Autotask's naming it as its secondary. Its zone is looked up by user at the sandbox.
    /// </summary>
    private static async Task SetUpAutotaskAsync(SandboxClient sandbox, ChaosTenant tenant, int invoices, int seed,
        Action<(string, string)[]> connection, (string, string)[] unlimited, Random random)
    {
        var database = tenant.Autotask!;
        var (user, secret, code) = ($"api-{database}@chaos.reconmesh.test", Secret(), "CHAOSRECONMESH");
        var companies = Enumerable.Range(1, Math.Max(1, invoices / 4)).Last(c => invoices % c == 0);
        await sandbox.CreateAutotaskDatabaseAsync(database, user, secret, code);
        await sandbox.SeedAutotaskAsync(database, companies, invoices / companies, seed);
        var token = Secret();
        await sandbox.CreateCompanyAsync(tenant.Realm!, token, requestsPerMinute: 0, maxConcurrent: 0);
        await sandbox.MirrorAutotaskInQuickBooksAsync(database, tenant.Realm!);
        var secondary = SeededGuid(random).ToString();
        connection([("Id", secondary), ("TenantId", tenant.Id), ("Kind", "QuickBooksOnline"), ("RealmId", tenant.Realm!), ("AccessToken", token),
            ("DepositAccountId", Checking), .. unlimited]);
        connection([("Id", SeededGuid(random).ToString()), ("TenantId", tenant.Id), ("Kind", "AutotaskPsa"), ("UserName", user), ("Secret", secret),
            ("IntegrationCode", code), ("SecondaryConnectionId", secondary), .. unlimited]);
    }

    /// <summary>5% server errors, 2% timeouts after commit, and bursts of five 429s starting 1% of the time, on every integration.</summary>
    public static async Task InjectFaultsAsync(SandboxClient sandbox, int seed)
    {
        foreach (var simulator in new[] { "quickbooks", "connectwise", "xero", "autotask" })
        {
            await sandbox.SetFaultsAsync(simulator, new
            {
                errorRate = 0.05, timeoutAfterCommitRate = 0.02, throttleBurstRate = 0.01, throttleBurstLength = 5, seed = seed + simulator.Length,
            });
        }
    }

    private static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static Guid SeededGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
