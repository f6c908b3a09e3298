using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Security;

/// <summary>
/// A service never runs open: started (as its own process, as deployed) without the settings that say whose tokens
/// it takes, or (InvoiceIngest, PaymentEvents) without a webhook listener of its own apart from the API's, it stops
/// before it listens, with exit code 2 and the name of the setting.
/// </summary>
[TestFixture]
[Category("Security")]
public sealed class When_a_service_starts_without_auth_settings
{
    private ServiceProcesses _processes = null!;

    [OneTimeSetUp]
    public void Start() => _processes = new ServiceProcesses();

    [OneTimeTearDown]
    public async Task Stop() => await _processes.DisposeAsync();

    [TestCase("ReconMesh.InvoiceIngest")]
    [TestCase("ReconMesh.PaymentEvents")]
    [TestCase("ReconMesh.WritebackService")]
    public async Task It_refuses_to_start_and_names_the_missing_issuer(string project)
    {
        var (exitCode, output) = await _processes.RunToExitAsync($"no-auth-{project}", project, new Dictionary<string, string?>
        {
            [ApiSecuritySettings.IssuerKey] = null,
            [ApiSecuritySettings.AudienceKey] = null,
            [ApiSecuritySettings.JwksFileKey] = null,
        });

        Assert.That(exitCode, Is.EqualTo(RequiredSettings.MissingConfigurationExitCode), output);
        Assert.That(output, Does.Contain("'ReconMesh:Auth:Issuer' is missing (environment variable ReconMesh__Auth__Issuer)"));
    }

    [TestCase("ReconMesh.InvoiceIngest", null, "'ReconMesh:Webhooks:Urls' is missing (environment variable ReconMesh__Webhooks__Urls)")]
    [TestCase("ReconMesh.PaymentEvents", null, "'ReconMesh:Webhooks:Urls' is missing (environment variable ReconMesh__Webhooks__Urls)")]
    [TestCase("ReconMesh.PaymentEvents", "http://127.0.0.1:0", "ReconMesh:Webhooks:Urls needs a fixed port")]
    public async Task It_refuses_to_serve_its_webhooks_without_a_listener_of_their_own(string project, string? webhookUrls, string why)
    {
        var (exitCode, output) = await _processes.RunToExitAsync($"no-webhook-listener-{project}", project,
            new Dictionary<string, string?> { [WebhookListener.UrlsKey] = webhookUrls });

        Assert.That(exitCode, Is.EqualTo(RequiredSettings.MissingConfigurationExitCode), output);
        Assert.That(output, Does.Contain(why));
    }

    [Test]
    public async Task It_refuses_to_start_without_a_source_of_signing_keys()
    {
        var (exitCode, output) = await _processes.RunToExitAsync("no-keys", "ReconMesh.PaymentEvents",
            new Dictionary<string, string?> { [ApiSecuritySettings.JwksFileKey] = null });

        Assert.That(exitCode, Is.EqualTo(RequiredSettings.MissingConfigurationExitCode), output);
        Assert.That(output, Does.Contain("ReconMesh:Auth:Authority").And.Contain("ReconMesh:Auth:JwksFile").And.Contain("neither is set"));
    }

    [Test]
    public async Task It_refuses_to_start_when_the_key_file_is_not_there()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-jwks-{Guid.NewGuid():N}.json");
        var (exitCode, output) = await _processes.RunToExitAsync("missing-keys", "ReconMesh.WritebackService",
            new Dictionary<string, string?> { [ApiSecuritySettings.JwksFileKey] = missing });

        Assert.That(exitCode, Is.EqualTo(RequiredSettings.MissingConfigurationExitCode), output);
        Assert.That(output, Does.Contain(missing));
    }
}
