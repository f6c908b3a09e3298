using System.Text.Json;

namespace ReconMesh.UnitTests.Architecture;

/// <summary>
/// Every host of the mesh (the services and the sandbox) runs with a thread pool whose idle workers wait without spinning
/// (Directory.Build.props): on a machine of few cores shared with PostgreSQL and RabbitMQ, the spinning burnt 10-20% of
/// each host's CPU during an initial sync (docs/benchmarks.md). And each collects garbage with the workstation
/// collector, whose pauses do not wait for a GC thread per core: server GC's were the tail of a payment's latency.
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
        Assert.That(Setting(host, "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit")?.GetInt32(), Is.EqualTo(0));
    }

    [TestCase("ReconMesh.InvoiceIngest")]
    [TestCase("ReconMesh.PaymentEvents")]
    [TestCase("ReconMesh.WritebackService")]
    [TestCase("ReconMesh.Sandbox")]
    public void Should_collect_garbage_with_the_workstation_collector(string host)
    {
        Assert.That(Setting(host, "System.GC.Server")?.GetBoolean(), Is.False);
    }

    /// <summary>A setting of the host's runtime configuration, copied beside the tests with each referenced host.</summary>
    internal static JsonElement? Setting(string host, string name)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, $"{host}.runtimeconfig.json")));
        return config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").TryGetProperty(name, out var value)
            ? value.Clone()
            : null;
    }
}
