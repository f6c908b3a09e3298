using System.Text.Json;

namespace ReconMesh.UnitTests.Architecture;

/// <summary>
/// Every host of the mesh (the services and the sandbox) runs with a thread pool whose idle workers wait without spinning
/// (Directory.Build.props): on a machine of few cores shared with PostgreSQL and RabbitMQ, the spinning burnt 10-20% of
/// each host's CPU during an initial sync (docs/benchmarks.md).
/// </summary>
[TestFixture]
public sealed class The_hosts_do_not_spin_idle_threads
{
    [TestCase("ReconMesh.InvoiceIngest")]
    [TestCase("ReconMesh.PaymentEvents")]
    [TestCase("ReconMesh.WritebackService")]
    [TestCase("ReconMesh.Sandbox")]
    public void Should_configure_the_thread_pool_not_to_spin(string host)
    {
        // The runtime configuration of each referenced host is copied beside the tests.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, $"{host}.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.That(properties.TryGetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", out var limit) ? limit.GetInt32() : (int?)null,
            Is.EqualTo(0));
    }
}
