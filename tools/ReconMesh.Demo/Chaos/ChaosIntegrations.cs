using System.Security.Cryptography;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// The run's two integrations in the sandbox: a QuickBooks company and a ConnectWise site, each with its tenant, the
/// services' connection settings for them, and the faults the simulators inject while payments flow.
/// </summary>
internal static class ChaosIntegrations
{
    /// <summary>The platform tenant whose invoices and payments live in the QuickBooks company.</summary>
    public const string QuickBooksTenant = "chaos-quickbooks";

    /// <summary>The platform tenant whose invoices and payments live in the ConnectWise site.</summary>
    public const string ConnectWiseTenant = "chaos-connectwise";

    /// <summary>The QuickBooks company's realm id in the sandbox.</summary>
    public const string Realm = "9130000000020260";

    /// <summary>The ConnectWise site's company id in the sandbox.</summary>
    public const string Site = "chaossite";

    /// <summary>
    /// A QuickBooks company and a ConnectWise site in the sandbox, seeded with open invoices, and the two connections'
    /// settings (<c>ReconMesh:Connections:N:*</c>, as the demo configures them). Both integrations' own rate limits are
    /// off: the run is about faults, and at QuickBooks' 500 requests a minute 1,000 payments alone take ten minutes.
    /// </summary>
    public static async Task<Dictionary<string, string>> SetUpAsync(SandboxClient sandbox, ChaosOptions options, int qboInvoices,
        int cwInvoices, Random random)
    {
        var token = "chaos-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var privateKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var clientId = SeededGuid(random).ToString();
        await sandbox.CreateCompanyAsync(Realm, token, requestsPerMinute: 0, maxConcurrent: 0);
        await sandbox.SeedAsync(Realm, Math.Max(1, qboInvoices / 4), qboInvoices, options.Seed);
        await sandbox.CreateConnectWiseSiteAsync(Site, "chaos-public", privateKey, clientId, requestsPerMinute: 0);
        await sandbox.SeedConnectWiseAsync(Site, Math.Max(1, cwInvoices / 4), cwInvoices, options.Seed);
        Console.WriteLine($"[chaos] sandbox: QuickBooks company {Realm} with {qboInvoices} open invoices, ConnectWise site {Site} with {cwInvoices}");

        var sandboxUrl = options.Sandbox.ToString();
        return new Dictionary<string, string>
        {
            ["ReconMesh__Connections__0__Id"] = SeededGuid(random).ToString(),
            ["ReconMesh__Connections__0__TenantId"] = QuickBooksTenant,
            ["ReconMesh__Connections__0__Kind"] = "QuickBooksOnline",
            ["ReconMesh__Connections__0__BaseUrl"] = sandboxUrl,
            ["ReconMesh__Connections__0__RealmId"] = Realm,
            ["ReconMesh__Connections__0__AccessToken"] = token,
            ["ReconMesh__Connections__0__PollInterval"] = "00:00:01",
            ["ReconMesh__Connections__0__RequestsPerMinute"] = "0",
            ["ReconMesh__Connections__0__MaxConcurrent"] = "0",
            ["ReconMesh__Connections__1__Id"] = SeededGuid(random).ToString(),
            ["ReconMesh__Connections__1__TenantId"] = ConnectWiseTenant,
            ["ReconMesh__Connections__1__Kind"] = "ConnectWisePsa",
            ["ReconMesh__Connections__1__BaseUrl"] = sandboxUrl,
            ["ReconMesh__Connections__1__CompanyId"] = Site,
            ["ReconMesh__Connections__1__PublicKey"] = "chaos-public",
            ["ReconMesh__Connections__1__PrivateKey"] = privateKey,
            ["ReconMesh__Connections__1__ClientId"] = clientId,
            ["ReconMesh__Connections__1__PollInterval"] = "00:00:01",
            ["ReconMesh__Connections__1__RequestsPerMinute"] = "0",
            ["ReconMesh__Connections__1__MaxConcurrent"] = "0",
        };
    }

    /// <summary>5% server errors, 2% timeouts after commit, and bursts of five 429s starting 1% of the time, on both integrations.</summary>
    public static async Task InjectFaultsAsync(SandboxClient sandbox, int seed)
    {
        foreach (var simulator in new[] { "quickbooks", "connectwise" })
        {
            await sandbox.SetFaultsAsync(simulator, new
            {
                errorRate = 0.05, timeoutAfterCommitRate = 0.02, throttleBurstRate = 0.01, throttleBurstLength = 5, seed = seed + simulator.Length,
            });
        }
    }

    private static Guid SeededGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
