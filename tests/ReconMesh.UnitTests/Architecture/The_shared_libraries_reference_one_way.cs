using System.Reflection;
using ReconMesh.EventSourcing.Store;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.UnitTests.Architecture;

/// <summary>
/// The libraries the services share point one way (docs/architecture.md): ServiceDefaults is hosting only and knows
/// neither the event store nor anything built on it; EventSourcing builds on ServiceDefaults and knows no integration,
/// decider or service. A compiled reference is what any use of a type leaves behind, so the assemblies' references
/// show a dependency however it is written.
/// </summary>
[TestFixture]
public sealed class The_shared_libraries_reference_one_way
{
    private static readonly string[] EventStoreAndAbove =
        ["Marten", "JasperFx", "Weasel", "Npgsql", "ReconMesh.EventSourcing", "ReconMesh.Integrations", "ReconMesh.Domain"];

    [Test]
    public void Should_keep_the_event_store_out_of_ServiceDefaults()
    {
        var references = ReferencesOf(typeof(ServiceDefaultsExtensions).Assembly);

        Assert.That(references.Where(r => EventStoreAndAbove.Any(e => r.StartsWith(e, StringComparison.Ordinal))), Is.Empty);
    }

    [Test]
    public void Should_build_EventSourcing_on_ServiceDefaults_alone()
    {
        var references = ReferencesOf(typeof(EventStoreExtensions).Assembly);

        Assert.That(references.Where(r => r.StartsWith("ReconMesh.", StringComparison.Ordinal)),
            Is.SubsetOf(new[] { "ReconMesh.ServiceDefaults", "ReconMesh.Contracts" }));
    }

    private static List<string> ReferencesOf(Assembly assembly) => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];
}
