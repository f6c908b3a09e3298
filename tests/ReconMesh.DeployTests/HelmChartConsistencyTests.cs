using System.Globalization;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace ReconMesh.DeployTests;

/// <summary>
/// The Helm chart must render what deploy/k8s holds. Helm is not installable where these tests run, so the chart is not
/// rendered here: instead its values.yaml, which drives every template, is compared with the plain manifests, and the
/// chart's templates are checked to exist for every workload.
/// </summary>
[TestFixture]
public sealed class HelmChartConsistencyTests
{
    private static readonly string[] RequestsAndLimits = ["requests", "limits"];
    private static readonly string[] CpuAndMemory = ["cpu", "memory"];

    private Manifests _manifests = null!;
    private ChartValues _values = null!;
    private string _chart = null!;

    [OneTimeSetUp]
    public void Load()
    {
        _manifests = Manifests.Load(RepositoryRoot.Combine("deploy", "k8s"));
        _chart = RepositoryRoot.Combine("deploy", "helm", "reconmesh");
        _values = ChartValues.Load();
    }

    private string Scalar(params string[] path) => _values.Scalar(path);

    private YamlNode Node(params string[] path) => _values.Node(path);

    private bool HasValue(params string[] path) => _values.Has(path);

    private List<string> Sequence(params string[] path) => _values.Sequence(path);

    [Test]
    public void The_chart_has_a_template_and_values_for_every_workload_and_nothing_else()
    {
        var workloads = _manifests.OfType<V1Deployment>().Select(Manifests.NameOf).ToList();
        var inValues = ((YamlMappingNode)Node("services")).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        Assert.That(inValues, Is.EquivalentTo(workloads));
        foreach (var name in workloads)
        {
            var template = Path.Combine(_chart, "templates", name + ".yaml");
            Assert.That(File.ReadAllText(template), Does.Contain($"\"name\" \"{name}\""), template);
        }

        Assert.That(File.Exists(Path.Combine(_chart, "Chart.yaml")), Is.True);
    }

    [Test]
    public void Only_dev_workloads_are_disabled_by_default()
    {
        Assert.Multiple(() =>
        {
            foreach (var (file, d) in _manifests.WithFile<V1Deployment>())
            {
                var inDev = file.Replace('\\', '/').StartsWith("deploy/k8s/dev/", StringComparison.Ordinal);
                Assert.That(Scalar("services", Manifests.NameOf(d), "enabled"), Is.EqualTo(inDev ? "false" : "true"), Manifests.NameOf(d));
            }
        });
    }

    [Test]
    public void Replicas_settings_and_secret_references_agree()
    {
        Assert.Multiple(() =>
        {
            foreach (var d in _manifests.OfType<V1Deployment>())
            {
                var name = Manifests.NameOf(d);
                var container = d.Spec.Template.Spec.Containers.Single();
                Assert.That(Scalar("services", name, "replicas"), Is.EqualTo(d.Spec.Replicas?.ToString(CultureInfo.InvariantCulture)), $"{name} replicas");
                Assert.That(container.Image, Does.StartWith($"reconmesh/{name}:"), $"{name} image");

                var env = (container.Env ?? []).ToDictionary(e => e.Name, e => e.ValueFrom?.SecretKeyRef);
                var settings = Sequence("services", name, "secretSettings");
                Assert.That(settings.Contains("postgres"), Is.EqualTo(env.ContainsKey("ReconMesh__Postgres")), $"{name} postgres");
                Assert.That(settings.Contains("rabbitmq"), Is.EqualTo(env.ContainsKey("ReconMesh__RabbitMq")), $"{name} rabbitmq");
                if (env.TryGetValue("ReconMesh__Postgres", out var pg))
                {
                    Assert.That((pg?.Name, pg?.Key), Is.EqualTo((Scalar("postgres", "existingSecret"), Scalar("postgres", "connectionStringKey"))), name);
                }

                if (env.TryGetValue("ReconMesh__RabbitMq", out var mq))
                {
                    Assert.That((mq?.Name, mq?.Key), Is.EqualTo((Scalar("rabbitmq", "existingSecret"), Scalar("rabbitmq", "uriKeys", name))), name);
                }

                Assert.That(settings.Contains("platformWebhook"), Is.EqualTo(env.ContainsKey("ReconMesh__Platform__WebhookSecret")), $"{name} webhook");
                if (env.TryGetValue("ReconMesh__Platform__WebhookSecret", out var hook))
                {
                    Assert.That((hook?.Name, hook?.Key, hook?.Optional?.ToString().ToLowerInvariant()),
                        Is.EqualTo((Scalar("platformWebhook", "existingSecret"), Scalar("platformWebhook", "secretKey"), Scalar("platformWebhook", "optional"))), name);
                }

                var connections = (container.EnvFrom ?? []).Select(f => f.SecretRef).SingleOrDefault(s => s is not null);
                Assert.That(Scalar("services", name, "connections"), Is.EqualTo(connections is null ? "false" : "true"), $"{name} connections");
                if (connections is not null)
                {
                    Assert.That(connections.Name, Is.EqualTo(Scalar("connections", "existingSecret")));
                    Assert.That(connections.Optional?.ToString().ToLowerInvariant(), Is.EqualTo(Scalar("connections", "optional")));
                }

                var resources = container.Resources;
                foreach (var kind in RequestsAndLimits)
                {
                    var plain = kind == "requests" ? resources.Requests : resources.Limits;
                    foreach (var resource in CpuAndMemory)
                    {
                        var path = HasValue("services", name, "resources") ? new[] { "services", name, "resources", kind, resource } : ["defaultResources", kind, resource];
                        Assert.That(plain[resource].ToString(), Is.EqualTo(Scalar(path)), $"{name} {kind}.{resource}");
                    }
                }

                Assert.That(d.Spec.Template.Spec.SecurityContext.RunAsUser?.ToString(CultureInfo.InvariantCulture),
                    Is.EqualTo(Scalar("podSecurityContext", "runAsUser")), $"{name} runAsUser");
            }
        });
    }

    [Test]
    public void The_consoles_own_settings_agree()
    {
        var console = _manifests.OfType<V1Deployment>().Single(d => Manifests.NameOf(d) == "operator-console");
        var container = console.Spec.Template.Spec.Containers.Single();
        var env = container.Env.ToDictionary(e => e.Name);
        var helpers = File.ReadAllText(Path.Combine(_chart, "templates", "_helpers.tpl"));
        var plain = ((YamlSequenceNode)Node("services", "operator-console", "env")).Children.Cast<YamlMappingNode>()
            .Select(e => (((YamlScalarNode)e.Children[new YamlScalarNode("name")]).Value, ((YamlScalarNode)e.Children[new YamlScalarNode("value")]).Value));
        var keyRing = console.Spec.Template.Spec.Volumes.Single(v => v.Name == "keyring-certificate").Secret;
        Assert.Multiple(() =>
        {
            foreach (var (name, value) in plain)
            {
                Assert.That(env.TryGetValue(name!, out var e) ? e.Value : null, Is.EqualTo(value), $"services.operator-console.env {name}");
            }

            Assert.That(Sequence("services", "operator-console", "secretSettings"), Is.EquivalentTo(new[] { "consoleKeyRing", "consoleOidc" }));
            Assert.That((env["ReconMesh__Console__KeyRing__Postgres"].ValueFrom.SecretKeyRef.Name, env["ReconMesh__Console__KeyRing__Postgres"].ValueFrom.SecretKeyRef.Key),
                Is.EqualTo((Scalar("postgres", "existingSecret"), Scalar("postgres", "connectionStringKey"))), "the key ring's database");
            Assert.That((keyRing.SecretName, keyRing.Optional), Is.EqualTo((Scalar("console", "keyRing", "existingSecret"), (bool?)null)), "the certificate, not optional");
            foreach (var variable in new[] { "ReconMesh__Console__KeyRing__CertificateFile", "ReconMesh__Console__KeyRing__CertificateKeyFile" })
            {
                Assert.That(helpers, Does.Contain($"- name: {variable}").And.Contain($"value: {env[variable].Value}"),
                    $"the chart names the same file: {variable}");
            }

            foreach (var (variable, key) in new[] { ("ReconMesh__Console__Oidc__ClientId", "idKey"), ("ReconMesh__Console__Oidc__ClientSecret", "secretKey") })
            {
                var reference = env[variable].ValueFrom.SecretKeyRef;
                Assert.That((reference.Name, reference.Key, reference.Optional?.ToString().ToLowerInvariant()),
                    Is.EqualTo((Scalar("console", "oidc", "existingSecret"), Scalar("console", "oidc", key), Scalar("console", "oidc", "optional"))), variable);
            }
        });
    }

    [Test]
    public void Autoscaling_agrees()
    {
        var scaled = _manifests.OfType<KedaScaledObject>().ToDictionary(s => s.Spec.ScaleTargetRef.Name);
        var hpas = _manifests.OfType<V2HorizontalPodAutoscaler>().ToDictionary(h => h.Spec.ScaleTargetRef.Name);
        Assert.Multiple(() =>
        {
            foreach (var d in _manifests.OfType<V1Deployment>())
            {
                var name = Manifests.NameOf(d);
                var kind = Scalar("services", name, "autoscaling", "kind");
                Assert.That(Sequence("services", name, "queues"),
                    Is.EqualTo(scaled.TryGetValue(name, out var so) ? so.Spec.Triggers.Select(t => t.Metadata["queueName"]).ToList() : []), $"{name} queues");
                switch (kind)
                {
                    case "keda":
                        Assert.That(so, Is.Not.Null, $"{name}: values say KEDA");
                        Assert.That(so?.Spec.MinReplicaCount?.ToString(CultureInfo.InvariantCulture), Is.EqualTo(Scalar("services", name, "autoscaling", "minReplicas")), name);
                        Assert.That(so?.Spec.MaxReplicaCount?.ToString(CultureInfo.InvariantCulture), Is.EqualTo(Scalar("services", name, "autoscaling", "maxReplicas")), name);
                        Assert.That(so?.Spec.PollingInterval?.ToString(CultureInfo.InvariantCulture), Is.EqualTo(Scalar("keda", "pollingInterval")), name);
                        Assert.That(so?.Spec.CooldownPeriod?.ToString(CultureInfo.InvariantCulture), Is.EqualTo(Scalar("keda", "cooldownPeriod")), name);
                        Assert.That(so?.Spec.Triggers.Select(t => t.Metadata["value"]), Has.All.EqualTo(Scalar("keda", "queueLength")), name);
                        Assert.That(so?.Spec.Triggers.Select(t => t.AuthenticationRef?.Name), Has.All.EqualTo(TriggerAuthenticationName(name)), name);
                        break;
                    case "hpa":
                        Assert.That(hpas.TryGetValue(name, out var hpa), Is.True, $"{name}: values say HPA");
                        Assert.That(hpa?.Spec.MinReplicas?.ToString(CultureInfo.InvariantCulture), Is.EqualTo(Scalar("services", name, "autoscaling", "minReplicas")), name);
                        Assert.That(hpa?.Spec.MaxReplicas.ToString(CultureInfo.InvariantCulture), Is.EqualTo(Scalar("services", name, "autoscaling", "maxReplicas")), name);
                        Assert.That(hpa?.Spec.Metrics.Single().Resource.Target.AverageUtilization?.ToString(CultureInfo.InvariantCulture),
                            Is.EqualTo(Scalar("services", name, "autoscaling", "cpuUtilization")), name);
                        break;
                    default:
                        Assert.That(kind, Is.EqualTo("none"), name);
                        Assert.That(d.Metadata.Annotations?[KubernetesManifestTests.AutoscalingExemptAnnotation],
                            Is.EqualTo(Scalar("services", name, "autoscaling", "exemptReason")), name);
                        break;
                }
            }
        });
    }

    [Test]
    public void Config_map_agrees()
    {
        var config = _manifests.OfType<V1ConfigMap>().Single(c => Manifests.NameOf(c) == "reconmesh-config").Data;
        Assert.Multiple(() =>
        {
            Assert.That(config["ReconMesh__QuorumQueues"], Is.EqualTo(Scalar("config", "quorumQueues")));
            Assert.That(config["OTEL_EXPORTER_OTLP_ENDPOINT"], Is.EqualTo(Scalar("config", "otlpEndpoint")));
            Assert.That(config["ASPNETCORE_ENVIRONMENT"], Is.EqualTo(Scalar("config", "aspnetcoreEnvironment")));
            Assert.That(config["ASPNETCORE_HTTP_PORTS"], Is.EqualTo(Scalar("config", "httpPort")));
            Assert.That(config["Logging__Console__FormatterName"], Is.EqualTo(Scalar("config", "logFormat")));
            Assert.That(config["ReconMesh__Auth__Authority"], Is.EqualTo(Scalar("auth", "authority")));
            Assert.That(config["ReconMesh__Auth__Issuer"], Is.EqualTo(Scalar("auth", "issuer")));
            Assert.That(config["ReconMesh__Auth__Audience"], Is.EqualTo(Scalar("auth", "audience")));
            Assert.That(config["ReconMesh__Webhooks__Urls"], Is.EqualTo($"http://+:{Scalar("config", "webhookPort")}"));
            Assert.That(config.Keys, Has.Count.EqualTo(9), "a key added to the ConfigMap needs a value in the chart too");
        });
    }

    /// <summary>The chart names a service's TriggerAuthentication as <c>reconmesh.triggerAuthenticationName</c> does.</summary>
    private static string TriggerAuthenticationName(string service) => $"{service}-rabbitmq";

    [Test]
    public void Trigger_authentications_agree_one_per_keda_scaled_service_with_its_own_key()
    {
        var helpers = File.ReadAllText(Path.Combine(_chart, "templates", "_helpers.tpl"));
        var template = File.ReadAllText(Path.Combine(_chart, "templates", "triggerauthentication.yaml"));
        var scaledByKeda = _values.Keys("services")
            .Where(s => Scalar("services", s, "enabled") == "true" && Scalar("services", s, "autoscaling", "kind") == "keda").ToList();
        var auths = _manifests.OfType<KedaTriggerAuthentication>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(helpers, Does.Contain("printf \"%s-rabbitmq\" ."), "the chart's TriggerAuthentication names are <service>-rabbitmq");
            Assert.That(template, Does.Contain("eq $svc.autoscaling.kind \"keda\"").And.Contain("reconmesh.rabbitmqUriKey"),
                "the chart renders one per KEDA-scaled service, with the service's own key");
            Assert.That(auths.Select(Manifests.NameOf), Is.EquivalentTo(scaledByKeda.Select(TriggerAuthenticationName)));
            foreach (var service in scaledByKeda)
            {
                var refs = auths.SingleOrDefault(a => Manifests.NameOf(a) == TriggerAuthenticationName(service))?.Spec.SecretTargetRef ?? [];
                Assert.That(refs.Select(r => (r.Parameter, r.Name, r.Key)),
                    Is.EqualTo(new[] { ("host", Scalar("rabbitmq", "existingSecret"), Scalar("rabbitmq", "uriKeys", service)) }), service);
            }
        });
    }
}
