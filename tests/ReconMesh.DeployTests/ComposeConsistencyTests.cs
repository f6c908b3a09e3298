using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace ReconMesh.DeployTests;

/// <summary>deploy/compose.yaml cannot run here (no Docker engine); this keeps it valid YAML and in step with deploy/k8s.</summary>
[TestFixture]
public sealed class ComposeConsistencyTests
{
    private static readonly string[] Servers = ["rabbitmq", "postgres"];

    [Test]
    public void Compose_runs_every_workload_from_its_image_with_the_same_settings()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(RepositoryRoot.Combine("deploy", "compose.yaml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        var settings = (YamlMappingNode)root.Children[new YamlScalarNode("x-settings")];
        var manifests = Manifests.Load(RepositoryRoot.Combine("deploy", "k8s"));
        var quorum = manifests.OfType<V1ConfigMap>().Single(c => Manifests.NameOf(c) == "reconmesh-config").Data["ReconMesh__QuorumQueues"];

        Assert.Multiple(() =>
        {
            Assert.That(services.Children.Keys.Select(k => ((YamlScalarNode)k).Value), Is.SupersetOf(Servers));
            Assert.That(((YamlScalarNode)((YamlMappingNode)services.Children[new YamlScalarNode("rabbitmq")]).Children[new YamlScalarNode("image")]).Value,
                Is.EqualTo("rabbitmq:3.13-management"));
            Assert.That(((YamlScalarNode)((YamlMappingNode)services.Children[new YamlScalarNode("postgres")]).Children[new YamlScalarNode("image")]).Value,
                Is.EqualTo("postgres:16"));
            Assert.That(((YamlScalarNode)settings.Children[new YamlScalarNode("ReconMesh__QuorumQueues")]).Value, Is.EqualTo(quorum));

            foreach (var deployment in manifests.OfType<V1Deployment>())
            {
                var name = Manifests.NameOf(deployment);
                Assert.That(services.Children.ContainsKey(new YamlScalarNode(name)), Is.True, $"compose runs {name}");
                if (!services.Children.TryGetValue(new YamlScalarNode(name), out var node))
                {
                    continue;
                }

                var service = (YamlMappingNode)node;
                Assert.That(((YamlScalarNode)service.Children[new YamlScalarNode("image")]).Value, Does.StartWith($"reconmesh/{name}:"), name);
                var environment = (YamlMappingNode)service.Children[new YamlScalarNode("environment")];
                // Either the shared x-settings (merged with <<) or its own keys: the same names as the Deployment's env.
                var keys = environment.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
                if (keys.Contains("<<"))
                {
                    keys.AddRange(settings.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
                }

                var required = deployment.Spec.Template.Spec.Containers.Single().Env.Select(e => e.Name);
                Assert.That(keys, Is.SupersetOf(required), $"{name}: compose sets what the Deployment sets");
            }
        });
    }
}
