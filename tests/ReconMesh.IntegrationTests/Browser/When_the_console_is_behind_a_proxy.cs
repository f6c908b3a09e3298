using System.Net;
using Microsoft.AspNetCore.Builder;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.OperatorConsole;
using ReconMesh.OperatorConsole.SignIn;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>
/// Behind a TLS-terminating ingress the console hears plain HTTP. It believes the ingress controller's
/// <c>X-Forwarded-Proto</c> only from the proxies it is told to trust (<see cref="TrustedProxies"/>): then the provider
/// sign-in returns to https and its cookies are Secure; from anyone else the header changes nothing.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class When_the_console_is_behind_a_proxy
{
    private FakeProvider _provider = null!;

    [OneTimeSetUp]
    public async Task Start() => _provider = await FakeProvider.StartAsync(ConsoleHarness.Token(AccessRoles.Write, "proxy-tenant"));

    [OneTimeTearDown]
    public async Task Stop() => await _provider.DisposeAsync();

    [Test]
    public async Task A_trusted_proxys_https_makes_the_sign_in_return_over_https_with_secure_cookies()
    {
        var (location, cookies) = await ChallengeAsync(trusted: "127.0.0.1");

        Assert.That(Uri.UnescapeDataString(location), Does.Contain("redirect_uri=https://"));
        Assert.That(cookies, Is.Not.Empty);
        Assert.That(cookies, Has.All.Contains("secure"));
    }

    [Test]
    public async Task Anyone_elses_header_changes_nothing()
    {
        var (location, _) = await ChallengeAsync(trusted: null);

        Assert.That(Uri.UnescapeDataString(location), Does.Contain("redirect_uri=http://").And.Not.Contains("redirect_uri=https://"));
    }

    /// <summary>Asks the console to sign in through the provider, as the ingress controller forwards an https request.</summary>
    private async Task<(string Location, List<string> Cookies)> ChallengeAsync(string? trusted)
    {
        var console = await InProcessHost.StartAsync(b => b.AddOperatorConsole(), a => a.MapOperatorConsole(), new Dictionary<string, string?>(_provider.ConsoleSettings())
        {
            [$"{TrustedProxies.Section}:0"] = trusted,
        });
        try
        {
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = console.Address() };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/signin?handler=Provider");
            request.Headers.Add("X-Forwarded-Proto", "https");
            using var response = await client.SendAsync(request);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            return (response.Headers.Location!.ToString(), response.Headers.TryGetValues("Set-Cookie", out var set) ? [.. set] : []);
        }
        finally
        {
            await console.StopAsync();
            await console.DisposeAsync();
        }
    }
}
