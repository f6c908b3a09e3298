using Microsoft.Extensions.Configuration;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.UnitTests.Messaging;

/// <summary>
/// <see cref="BrokerSettings"/>: every node of a cluster, so a client whose node dies connects to another, and quorum
/// queues unless a deployment says otherwise (production runs a cluster; ADR 5).
/// </summary>
[TestFixture]
public sealed class When_the_broker_settings_are_read
{
    private static BrokerSettings? Read(out string problem, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["ReconMesh:RabbitMq"] = "amqp://u:p@rabbit-0:5672/reconmesh" };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return BrokerSettings.TryRead(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), out problem);
    }

    [Test]
    public void Should_know_every_node_of_the_cluster_in_order()
    {
        var broker = Read(out _, ("ReconMesh:RabbitMqNodes", "rabbit-0:5672, rabbit-1:5673,rabbit-2"))!;

        Assert.Multiple(() =>
        {
            Assert.That(broker.NodeAddresses, Is.EqualTo(new[] { "rabbit-0:5672", "rabbit-1:5673", "rabbit-2:5672" }),
                "a node without a port has the URI's");
            Assert.That(broker.Uri.AbsolutePath, Is.EqualTo("/reconmesh"), "credentials and virtual host come from the URI");
        });
    }

    [Test]
    public void Should_use_the_uris_node_alone_without_a_list() =>
        Assert.That(Read(out _)!.NodeAddresses, Is.EqualTo(new[] { "rabbit-0:5672" }));

    [Test]
    public void Should_declare_quorum_queues_unless_told_otherwise() =>
        Assert.Multiple(() =>
        {
            Assert.That(Read(out _)!.QuorumQueues, Is.True, "production's type is the default");
            Assert.That(Read(out _, ("ReconMesh:QuorumQueues", "false"))!.QuorumQueues, Is.False);
            Assert.That(Read(out _, ("ReconMesh:QuorumQueues", "True"))!.QuorumQueues, Is.True);
        });

    [TestCase("ReconMesh:RabbitMqNodes", "rabbit-0:http", "ReconMesh:RabbitMqNodes")]
    [TestCase("ReconMesh:RabbitMqNodes", "rabbit-0:5672:1", "ReconMesh:RabbitMqNodes")]
    [TestCase("ReconMesh:QuorumQueues", "yes", "ReconMesh:QuorumQueues")]
    [TestCase("ReconMesh:RabbitMq", "http://rabbit-0/", "ReconMesh:RabbitMq")]
    public void Should_name_a_bad_setting(string key, string value, string named)
    {
        Assert.That(Read(out var problem, (key, value)), Is.Null);
        Assert.That(problem, Does.Contain(named));
    }
}
