using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.OperatorConsole;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>
/// The mesh of the payment scenarios (sandbox, the three services, a tenant connected to a seeded QuickBooks company, on
/// the real RabbitMQ and PostgreSQL), the operator console in front of it talking to the services over real HTTP, and
/// Chromium. Tokens come from the tests' issuer, which the services and the console both trust; the console's clock can
/// be moved on to end a session without waiting for it.
/// </summary>
public sealed class ConsoleHarness : IAsyncDisposable
{
    private IPlaywright? _playwright;

    private ConsoleHarness(PaymentScenarioHarness mesh) => Mesh = mesh;

    public PaymentScenarioHarness Mesh { get; }

    public WebApplication Console { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public ShiftableClock Clock { get; } = new();

    /// <summary>What the console logged (Debug and above), for a failing test to show.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ConsoleLogs { get; } = new();

    public Uri Address => Console.Address();

    public static async Task<ConsoleHarness> StartAsync()
    {
        // A payment whose invoice does not arrive needs a person after 3 s instead of half an hour.
        var mesh = await PaymentScenarioHarness.StartAsync(invoices: 16,
            writebackSettings: new Dictionary<string, string?> { ["ReconMesh:Writeback:InvoiceWait:Timeout"] = "00:00:03" });
        var harness = new ConsoleHarness(mesh);
        try
        {
            harness.Console = await InProcessHost.StartAsync(b =>
                {
                    b.AddOperatorConsole();
                    b.Services.AddSingleton<TimeProvider>(harness.Clock);
                    return b;
                },
                a => a.MapOperatorConsole(),
                new Dictionary<string, string?>
                {
                    [ConsoleSettings.InvoiceIngestKey] = mesh.InvoiceIngest.BaseAddress!.ToString(),
                    [ConsoleSettings.WritebackServiceKey] = mesh.Writeback.BaseAddress!.ToString(),
                }, captureLogs: harness.ConsoleLogs);
            (harness._playwright, harness.Browser) = await Chromium.LaunchAsync();
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>A token of the tests' issuer for <paramref name="tenants"/> with <paramref name="role"/>, valid for an hour.</summary>
    public static string Token(string role, params string[] tenants) =>
        TestAuth.Token(new TokenRequest("Dana Operator", tenants, [role], TestAuth.Issuer, TestAuth.Audience,
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1)));

    /// <summary>A new browser (its own cookies) signed in with <paramref name="token"/> through a sign-in link.</summary>
    public async Task<IPage> SignedInAsync(string token)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        // The link's script posts the token at once: wait for the sign-in page's answer only, then for where the post leads.
        await page.GotoAsync($"/signin#token={Uri.EscapeDataString(token)}", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your tenants" })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>A new browser, not signed in.</summary>
    public async Task<IPage> AnonymousAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A screenshot of the page for docs/console.md (docs/console/NAME.png), once axe-core's accessibility rules find
    /// nothing wrong in it (labels, names, landmarks, contrast, headings...).
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var axe = await page.RunAxe();
        Assert.That(axe.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"),
            Is.Empty, $"accessibility of the page {name}");
        // Into artifacts/console on every run; into docs/console (the pictures docs/console.md shows) only when asked with
        // RECONMESH_CONSOLE_SCREENSHOTS=docs, so that a test run leaves the checkout as it found it.
        var toDocs = Environment.GetEnvironmentVariable("RECONMESH_CONSOLE_SCREENSHOTS") == "docs";
        var directory = Path.Combine(ServiceProcesses.RepositoryRoot(), toDocs ? "docs" : "artifacts", "console");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Console is not null)
        {
            await Console.StopAsync();
            await Console.DisposeAsync();
        }

        await Mesh.DisposeAsync();
    }
}

/// <summary>The console's clock: the real one, moved on by <see cref="Offset"/> (to end a session without waiting an hour).</summary>
public sealed class ShiftableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
