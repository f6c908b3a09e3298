using Microsoft.Playwright;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>
/// Debian's Chromium, driven by Playwright (whose own browser download cannot be reached here): installed by
/// <c>deploy/local/browser.sh ensure</c>, which <c>./run test</c> calls. Without it the console's tests fail, saying so,
/// rather than being skipped.
/// </summary>
public static class Chromium
{
    /// <summary>RECONMESH_CHROMIUM, else Debian's path.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("RECONMESH_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>
    /// Headless, and quiet on this network: without the background-networking flags Chromium keeps reaching for Google's
    /// hosts, which the machine refuses. Playwright gives every launch a fresh, empty profile of its own.
    /// </summary>
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"Chromium is not installed at {ExecutablePath}: run deploy/local/browser.sh ensure (./run test does), " +
                "or set RECONMESH_CHROMIUM to a Chromium executable.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Flags,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
