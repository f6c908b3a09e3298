using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.OperatorConsole;
using ReconMesh.ServiceDefaults.Security;
using static Microsoft.Playwright.Assertions;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>
/// The console as a client of an OpenID Connect provider (code flow with PKCE, form post), in real Chromium: the person
/// signs in at the provider, and the console keeps the provider's access token for the services, checked as they check
/// it. The services are not running here, so the overview also shows its error state.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class When_an_operator_signs_in_through_the_provider
{
    private const string Tenant = "provider-tenant";
    private FakeProvider _provider = null!;
    private WebApplication _console = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        SetDefaultExpectTimeout(30_000);
        _provider = await FakeProvider.StartAsync(ConsoleHarness.Token(AccessRoles.Write, Tenant));
        // Nothing listens on port 1: both services are unreachable.
        _console = await InProcessHost.StartAsync(b => b.AddOperatorConsole(), a => a.MapOperatorConsole(), _provider.ConsoleSettings());
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _console.StopAsync();
        await _console.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Test]
    public async Task The_provider_signs_the_person_in_with_the_tenants_of_its_access_token()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _console.Address().ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your organisation's account" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your tenants" })).ToBeVisibleAsync();
        var tenant = page.GetByRole(AriaRole.Region, new() { Name = Tenant });
        await Expect(tenant).ToContainTextAsync("InvoiceIngest cannot be reached right now");
        await Expect(tenant).ToContainTextAsync("WritebackService cannot be reached right now");
        await Expect(page.Locator("header")).ToContainTextAsync("Signed in as Dana Operator");
        Assert.That(await page.ContentAsync(), Does.Not.Contain(FakeProvider.ClientSecret).And.Not.Contain(_provider.AccessToken));
        Assert.That(_provider.Exchanged, Is.EqualTo(1));
        await ConsoleHarness.ScreenshotAsync(page, "services-unreachable");
    }
}
