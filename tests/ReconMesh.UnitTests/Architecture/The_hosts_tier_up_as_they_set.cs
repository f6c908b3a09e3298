namespace ReconMesh.UnitTests.Architecture;

/// <summary>
/// InvoiceIngest and the sandbox recompile a method optimised only after 4096 calls (Directory.Build.props,
/// TierUpLate): a fresh InvoiceIngest's first big sync otherwise spent its cores recompiling. The hosts on the
/// payment path keep the runtime's default, under which their per-batch code is optimised soon after start.
/// </summary>
[TestFixture]
public sealed class The_hosts_tier_up_as_they_set
{
    [TestCase("ReconMesh.InvoiceIngest", 4096)]
    [TestCase("ReconMesh.Sandbox", 4096)]
    [TestCase("ReconMesh.PaymentEvents", null)]
    [TestCase("ReconMesh.WritebackService", null)]
    public void Should_recompile_a_method_after_the_calls_its_host_sets(string host, int? calls)
    {
        var setting = The_hosts_do_not_spin_idle_threads.Setting(host, "System.Runtime.TieredCompilation.CallCountThreshold");

        Assert.That(setting is { } value ? int.Parse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture) : (int?)null, Is.EqualTo(calls));
    }
}
