using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace ReconMesh.DeployTests;

/// <summary>
/// Separate doors in deploy/k8s and the chart (docs/security.md): the services with webhooks (InvoiceIngest,
/// PaymentEvents) expose a second port for them, the Ingress routes only the webhooks' paths, and only to that port,
/// and each service's NetworkPolicy opens its API port to the namespace and its webhook port to the ingress controller.
/// </summary>
[TestFixture]
public sealed class NetworkExposureTests
{
    /// <summary>The signed webhooks, by the service that serves them (the paths the services map).</summary>
    private static readonly Dictionary<string, string> WebhookPaths = new()
    {
        ["/webhooks/platform"] = "payment-events",
        ["/webhooks/quickbooks"] = "invoice-ingest",
        ["/webhooks/connectwise"] = "invoice-ingest", // a prefix: /webhooks/connectwise/{connectionId}
        ["/webhooks/xero"] = "invoice-ingest",
    };

    private static readonly string[] WithWebhooks = ["invoice-ingest", "payment-events"];

    /// <summary>
    /// Workloads whose API port people reach through an Ingress of their own (the operator console's pages): the
    /// ingress controller's namespace is admitted to that port besides the namespace, and nothing else is.
    /// </summary>
    private static readonly string[] PeopleFacing = ["operator-console"];

    private Manifests _manifests = null!;
    private ChartValues _values = null!;

    [OneTimeSetUp]
    public void Load()
    {
        _manifests = Manifests.Load(RepositoryRoot.Combine("deploy", "k8s"));
        _values = ChartValues.Load();
    }

    /// <summary>The production services (the sandbox in dev/ has neither webhooks nor a policy).</summary>
    private IEnumerable<V1Deployment> Services => _manifests.WithFile<V1Deployment>()
        .Where(d => !d.File.Replace('\\', '/').StartsWith("deploy/k8s/dev/", StringComparison.Ordinal)).Select(d => d.Object);

    [Test]
    public void The_services_with_webhooks_expose_a_webhook_port_in_their_pods_and_services_and_the_others_do_not()
    {
        var webhookPort = new Uri(_manifests.OfType<V1ConfigMap>().Single(c => Manifests.NameOf(c) == "reconmesh-config")
            .Data["ReconMesh__Webhooks__Urls"].Replace("+", "any", StringComparison.Ordinal)).Port;
        Assert.Multiple(() =>
        {
            foreach (var d in Services)
            {
                var name = Manifests.NameOf(d);
                var ports = d.Spec.Template.Spec.Containers.Single().Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
                var service = _manifests.OfType<V1Service>().Single(s => Manifests.NameOf(s) == name);
                var servicePorts = service.Spec.Ports.Select(p => p.TargetPort?.Value).ToList();
                var expected = WithWebhooks.Contains(name);
                Assert.That(ports.ContainsKey("webhooks"), Is.EqualTo(expected), $"{name}: container port 'webhooks'");
                Assert.That(servicePorts.Contains("webhooks"), Is.EqualTo(expected), $"{name}: Service port to 'webhooks'");
                Assert.That(Scalar("services", name, "webhooks"), Is.EqualTo(expected ? "true" : "false"), $"chart: services.{name}.webhooks");
                if (expected)
                {
                    Assert.That(ports["webhooks"], Is.EqualTo(webhookPort), $"{name}: the port ReconMesh__Webhooks__Urls listens on");
                    Assert.That(ports["webhooks"], Is.Not.EqualTo(ports["http"]), $"{name}: the webhooks' port is not the API's");
                }
            }

            Assert.That(Scalar("config", "webhookPort"), Is.EqualTo(webhookPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public void The_ingress_routes_the_signed_webhooks_and_nothing_else_to_the_webhook_ports()
    {
        var ingress = _manifests.OfType<V1Ingress>().Single(i => Manifests.NameOf(i) == "reconmesh-webhooks");
        var paths = ingress.Spec.Rules.SelectMany(r => r.Http.Paths).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(paths.Select(p => p.Path), Is.EquivalentTo(WebhookPaths.Keys), "exactly the webhooks' paths, no catch-all");
            foreach (var path in paths)
            {
                Assert.That(path.Backend.Service.Name, Is.EqualTo(WebhookPaths[path.Path]), path.Path);
                Assert.That(path.Backend.Service.Port.Name, Is.EqualTo("webhooks"), $"{path.Path}: to the webhook port, never the API's");
                Assert.That(path.PathType, Is.EqualTo(path.Path.EndsWith("/connectwise", StringComparison.Ordinal) ? "Prefix" : "Exact"), path.Path);
            }

            Assert.That(ingress.Spec.DefaultBackend, Is.Null, "nothing else is routed");
            Assert.That(ingress.Spec.Tls, Is.Not.Empty, "the webhooks face the internet over TLS");
            Assert.That(ingress.Spec.IngressClassName, Is.EqualTo(Scalar("webhooksIngress", "className")));
            Assert.That(ingress.Spec.Rules.Single().Host, Is.EqualTo(Scalar("webhooksIngress", "host")));
            Assert.That(ingress.Spec.Tls.Single().SecretName, Is.EqualTo(Scalar("webhooksIngress", "existingSecret")));
        });
    }

    [Test]
    public void The_consoles_ingress_routes_its_host_to_its_api_port_over_tls_and_no_other_ingress_exists()
    {
        var ingresses = _manifests.OfType<V1Ingress>().ToList();
        var console = ingresses.SingleOrDefault(i => Manifests.NameOf(i) == "reconmesh-console");
        Assert.That(ingresses.Select(Manifests.NameOf), Is.EquivalentTo(new[] { "reconmesh-webhooks", "reconmesh-console" }));
        Assert.That(console, Is.Not.Null);
        var paths = console!.Spec.Rules.SelectMany(r => r.Http.Paths).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(paths.Select(p => (p.Path, p.PathType, p.Backend.Service.Name, p.Backend.Service.Port.Name)),
                Is.EqualTo(new[] { ("/", "Prefix", "operator-console", "http") }), "the console's pages, and only its");
            Assert.That(PeopleFacing, Does.Contain(paths.Single().Backend.Service.Name), "only to a people-facing workload's API port");
            Assert.That(console.Spec.DefaultBackend, Is.Null);
            Assert.That(console.Spec.Tls.Single().SecretName, Is.EqualTo(Scalar("console", "ingress", "existingSecret")), "over TLS");
            Assert.That(console.Spec.Tls.Single().Hosts, Is.EqualTo(new[] { Scalar("console", "ingress", "host") }));
            Assert.That(console.Spec.Rules.Single().Host, Is.EqualTo(Scalar("console", "ingress", "host")));
            Assert.That(console.Spec.Rules.Single().Host, Is.Not.EqualTo(Scalar("webhooksIngress", "host")), "a host of its own, not the webhooks'");
            Assert.That(console.Spec.IngressClassName, Is.EqualTo(Scalar("console", "ingress", "className")));
        });
    }

    [Test]
    public void Each_service_admits_the_api_port_from_its_namespace_and_the_webhook_port_from_the_ingress_controller_only()
    {
        var policies = _manifests.OfType<V1NetworkPolicy>().ToList();
        Assert.Multiple(() =>
        {
            foreach (var d in Services)
            {
                var name = Manifests.NameOf(d);
                var policy = policies.SingleOrDefault(p => Manifests.NameOf(p) == name);
                Assert.That(policy, Is.Not.Null, $"NetworkPolicy {name}");
                if (policy is null)
                {
                    continue;
                }

                Assert.That(policy.Spec.PodSelector.MatchLabels, Is.EquivalentTo(d.Spec.Selector.MatchLabels), $"{name}: selects the pods");
                Assert.That(policy.Spec.PolicyTypes, Does.Contain("Ingress"), $"{name}: isolates ingress");
                var peers = policy.Spec.Ingress.ToDictionary(r => r.Ports.Single().Port.Value, r => r.FromProperty);
                Assert.That(peers.Keys, Is.EquivalentTo(WithWebhooks.Contains(name) ? ["http", "webhooks"] : new[] { "http" }),
                    $"{name}: one rule per named port, none open to all ports");
                Assert.That(_values.Has("services", name, "peopleFacing") && Scalar("services", name, "peopleFacing") == "true", Is.EqualTo(PeopleFacing.Contains(name)), $"chart: services.{name}.peopleFacing");
                if (PeopleFacing.Contains(name))
                {
                    // People come through the ingress controller: its namespace too, and nothing wider.
                    var controller = peers["http"].Where(p => p.NamespaceSelector is not null).ToList();
                    Assert.That(controller.Select(p => p.NamespaceSelector.MatchLabels), Is.EqualTo(new[] { IngressControllerNamespace() }),
                        $"{name}: the API port from the ingress controller's namespace besides the namespace");
                    Assert.That(controller.Select(p => (p.PodSelector, p.IpBlock)), Has.All.EqualTo(((V1LabelSelector?)null, (V1IPBlock?)null)), name);
                }

                // Besides that, one peer per port: the namespace's pods for the API, the ingress controller for the webhooks.
                var rules = peers.ToDictionary(p => p.Key,
                    p => p.Value.Single(peer => !(p.Key == "http" && PeopleFacing.Contains(name) && peer.NamespaceSelector is not null)));
                var api = rules["http"];
                Assert.That((api.PodSelector?.MatchLabels?.Count ?? 0, api.NamespaceSelector, api.IpBlock), Is.EqualTo((0, (V1LabelSelector?)null, (V1IPBlock?)null)),
                    $"{name}: the API port from pods of the namespace only");
                Assert.That(api.PodSelector, Is.Not.Null, $"{name}: the API port from pods of the namespace only");
                if (rules.TryGetValue("webhooks", out var hooks))
                {
                    Assert.That(hooks.NamespaceSelector?.MatchLabels, Is.EquivalentTo(IngressControllerNamespace()),
                        $"{name}: the webhook port from the ingress controller's namespace (as the chart's networkPolicy.webhooksFrom)");
                    Assert.That(hooks.IpBlock, Is.Null);
                }
            }
        });
    }

    private Dictionary<string, string> IngressControllerNamespace()
    {
        var peer = (YamlMappingNode)((YamlSequenceNode)_values.Node("networkPolicy", "webhooksFrom")).Children.Single();
        var labels = (YamlMappingNode)((YamlMappingNode)peer.Children[new YamlScalarNode("namespaceSelector")]).Children[new YamlScalarNode("matchLabels")];
        return labels.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);
    }

    private string Scalar(params string[] path) => _values.Scalar(path);
}
