using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.IntegrationTests.Security;

/// <summary>
/// A service with webhooks never serves them beside its operator API: started (as its own process, as deployed)
/// without a webhook listener of its own, or with one whose port is not fixed, it stops before it listens, with exit
/// code 2 and the name of the setting.
/// </summary>
[TestFixture]
[Category("Security")]
public sealed class When_a_service_starts_without_its_webhook_listener
{
    private ServiceProcesses _processes = null!;

    [OneTimeSetUp]
    public void Start() => _processes = new ServiceProcesses();

    [OneTimeTearDown]
    public async Task Stop() => await _processes.DisposeAsync();

    [TestCase("ReconMesh.InvoiceIngest", null, "'ReconMesh:Webhooks:Urls' is missing (environment variable ReconMesh__Webhooks__Urls)")]
    [TestCase("ReconMesh.PaymentEvents", null, "'ReconMesh:Webhooks:Urls' is missing (environment variable ReconMesh__Webhooks__Urls)")]
    [TestCase("ReconMesh.PaymentEvents", "http://127.0.0.1:0", "ReconMesh:Webhooks:Urls needs a fixed port")]
    public async Task It_refuses_to_start_and_says_why(string project, string? webhookUrls, string why)
    {
        var (exitCode, output) = await _processes.RunToExitAsync($"no-webhook-listener-{project}", project,
            new Dictionary<string, string?> { [WebhookListener.UrlsKey] = webhookUrls });

        Assert.That(exitCode, Is.EqualTo(RequiredSettings.MissingConfigurationExitCode), output);
        Assert.That(output, Does.Contain(why));
    }
}
