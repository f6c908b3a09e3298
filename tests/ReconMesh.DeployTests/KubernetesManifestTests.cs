using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace ReconMesh.DeployTests;

/// <summary>What every ReconMesh workload in deploy/k8s must have to run safely in production.</summary>
[TestFixture]
public sealed partial class KubernetesManifestTests
{
    /// <summary>Deployments in dev/ may skip autoscaling when they say why with this annotation.</summary>
    public const string AutoscalingExemptAnnotation = "reconmesh.io/autoscaling-exempt";

    /// <summary>The settings each service cannot start without (see ServiceDefaults/Hosting/SettingNames.cs).</summary>
    private static readonly Dictionary<string, string[]> RequiredSecretEnv = new()
    {
        ["invoice-ingest"] = ["ReconMesh__Postgres", "ReconMesh__RabbitMq"],
        ["payment-events"] = ["ReconMesh__Postgres", "ReconMesh__RabbitMq"],
        ["writeback-service"] = ["ReconMesh__Postgres", "ReconMesh__RabbitMq"],
        ["sandbox"] = ["ReconMesh__RabbitMq"],
        // No bus and no store of its own (BusUserTests.WithoutBus): only the key ring it shares with its other replicas.
        ["operator-console"] = ["ReconMesh__Console__KeyRing__Postgres"],
    };

    /// <summary>The service folders whose queues KEDA must watch, by Deployment name.</summary>
    private static readonly Dictionary<string, string> ServiceFolders = new()
    {
        ["invoice-ingest"] = "ReconMesh.InvoiceIngest",
        ["payment-events"] = "ReconMesh.PaymentEvents",
        ["writeback-service"] = "ReconMesh.WritebackService",
    };

    /// <summary>
    /// The queues each service consumes, read from its consumer and saga definitions (<c>EndpointName = "..."</c>, or a
    /// <c>const string QueueName = "..."</c> an endpoint is named by), so a new consumer that KEDA does not watch fails
    /// this test. Every ReconMesh consumer names its endpoint explicitly.
    /// </summary>
    public static Dictionary<string, string[]> QueuesByService() =>
        AllQueuesByService().ToDictionary(s => s.Key, s => s.Value.Except(NotLoad).ToArray());

    /// <summary>
    /// Queues that are not a measure of a service's load: InvoiceIngest's written-back notices only wake a connection's
    /// sync, and many collapse into one pass, so more replicas would not drain them faster; its requests to announce
    /// awaited invoices again are a read and a publish each, and every added replica would poll every connection too.
    /// </summary>
    private static readonly string[] NotLoad = ["invoice-ingest.written-back", "invoice-ingest.invoices-awaited"];

    private static Dictionary<string, string[]> AllQueuesByService() =>
        ServiceFolders.ToDictionary(s => s.Key, s => Directory
            .EnumerateFiles(RepositoryRoot.Combine("services", s.Value), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => EndpointNamePattern().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray());

    [GeneratedRegex("(?:EndpointName|const string QueueName)\\s*=\\s*\"([^\"]+)\"")]
    private static partial Regex EndpointNamePattern();

    private static readonly string[] CpuAndMemory = ["cpu", "memory"];

    private Manifests _manifests = null!;

    [OneTimeSetUp]
    public void Load() => _manifests = Manifests.Load(RepositoryRoot.Combine("deploy", "k8s"));

    private IEnumerable<(string File, V1Deployment Deployment)> Deployments => _manifests.WithFile<V1Deployment>();

    private static IEnumerable<V1Container> Containers(V1Deployment d) => d.Spec.Template.Spec.Containers;

    [Test]
    public void Every_workload_is_there_and_the_sandbox_only_in_dev()
    {
        var byName = Deployments.ToDictionary(d => Manifests.NameOf(d.Deployment), d => d.File);
        Assert.That(byName.Keys, Is.EquivalentTo(RequiredSecretEnv.Keys));
        Assert.Multiple(() =>
        {
            foreach (var (name, file) in byName)
            {
                var inDev = file.Replace('\\', '/').StartsWith("deploy/k8s/dev/", StringComparison.Ordinal);
                Assert.That(inDev, Is.EqualTo(name == "sandbox"), $"{name} ({file}): the sandbox belongs in deploy/k8s/dev/, the services do not");
                Assert.That(Path.GetFileNameWithoutExtension(file), Is.EqualTo(name), $"one file per service, named after it: {file}");
            }
        });
    }

    [Test]
    public void Every_object_is_a_known_kind()
    {
        Assert.That(_manifests.Objects, Is.Not.Empty);
        Assert.That(_manifests.Objects.Select(o => o.Object),
            Has.All.InstanceOf<IKubernetesObject<V1ObjectMeta>>(), "every object loads as a typed model");
        Assert.That(_manifests.Objects.Select(o => o.Object).OfType<IKubernetesObject<V1ObjectMeta>>()
            .Select(Manifests.NameOf), Has.None.EqualTo("(unnamed)"));
    }

    [Test]
    public void Every_deployment_has_liveness_and_readiness_probes_on_the_health_endpoints()
    {
        Assert.Multiple(() =>
        {
            foreach (var (file, d) in Deployments)
            {
                foreach (var c in Containers(d))
                {
                    var at = $"{file}: {Manifests.NameOf(d)}/{c.Name}";
                    Assert.That(c.LivenessProbe?.HttpGet?.Path, Is.EqualTo("/health/live"), at + " liveness probe");
                    Assert.That(c.ReadinessProbe?.HttpGet?.Path, Is.EqualTo("/health/ready"), at + " readiness probe");
                    Assert.That(c.StartupProbe, Is.Not.Null, at + " startup probe (schema migration at start must not trip liveness)");
                }
            }
        });
    }

    [Test]
    public void Every_container_has_cpu_and_memory_requests_and_limits()
    {
        Assert.Multiple(() =>
        {
            foreach (var (file, d) in Deployments)
            {
                foreach (var c in Containers(d))
                {
                    var at = $"{file}: {Manifests.NameOf(d)}/{c.Name}";
                    Assert.That(c.Resources?.Requests?.Keys, Is.SupersetOf(CpuAndMemory), at + " requests");
                    Assert.That(c.Resources?.Limits?.Keys, Is.SupersetOf(CpuAndMemory), at + " limits");
                }
            }
        });
    }

    [Test]
    public void Every_pod_runs_as_non_root_on_a_read_only_root_filesystem()
    {
        Assert.Multiple(() =>
        {
            foreach (var (file, d) in Deployments)
            {
                var pod = d.Spec.Template.Spec.SecurityContext;
                foreach (var c in Containers(d))
                {
                    var at = $"{file}: {Manifests.NameOf(d)}/{c.Name}";
                    var sc = c.SecurityContext;
                    Assert.That(sc?.RunAsNonRoot ?? pod?.RunAsNonRoot, Is.True, at + " runAsNonRoot");
                    // A numeric user lets the kubelet verify runAsNonRoot (the image's user is the same UID, 1654).
                    Assert.That(sc?.RunAsUser ?? pod?.RunAsUser, Is.Not.Null.And.GreaterThan(0), at + " runAsUser");
                    Assert.That(sc?.ReadOnlyRootFilesystem, Is.True, at + " readOnlyRootFilesystem");
                    Assert.That(sc?.AllowPrivilegeEscalation, Is.False, at + " allowPrivilegeEscalation");
                    Assert.That(sc?.Capabilities?.Drop, Does.Contain("ALL"), at + " drops all capabilities");
                }
            }
        });
    }

    [Test]
    public void Every_deployment_has_a_service_that_selects_its_pods()
    {
        var services = _manifests.OfType<V1Service>().ToList();
        Assert.Multiple(() =>
        {
            foreach (var (file, d) in Deployments)
            {
                var service = services.SingleOrDefault(s => Manifests.NameOf(s) == Manifests.NameOf(d));
                Assert.That(service, Is.Not.Null, $"{file}: Service {Manifests.NameOf(d)}");
                if (service is null)
                {
                    continue;
                }

                Assert.That(Selects(service.Spec.Selector, d.Spec.Template.Metadata.Labels), Is.True,
                    $"{file}: Service {Manifests.NameOf(service)} selects the pods");
                var portNames = Containers(d).SelectMany(c => c.Ports ?? []).Select(p => p.Name).ToList();
                foreach (var port in service.Spec.Ports)
                {
                    Assert.That(portNames, Does.Contain(port.TargetPort?.Value), $"{file}: Service port {port.Name} targets a named container port");
                }
            }
        });
    }

    [Test]
    public void Every_deployment_has_a_pod_disruption_budget_that_selects_its_pods()
    {
        var budgets = _manifests.OfType<V1PodDisruptionBudget>().ToList();
        Assert.Multiple(() =>
        {
            foreach (var (file, d) in Deployments)
            {
                var pdb = budgets.SingleOrDefault(b => Manifests.NameOf(b) == Manifests.NameOf(d));
                Assert.That(pdb, Is.Not.Null, $"{file}: PodDisruptionBudget {Manifests.NameOf(d)}");
                Assert.That(pdb is not null && Selects(pdb.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels), Is.True,
                    $"{file}: PodDisruptionBudget selects the pods");
            }
        });
    }

    [Test]
    public void Every_deployment_is_autoscaled_by_a_scaled_object_or_an_hpa()
    {
        var scaled = _manifests.OfType<KedaScaledObject>().ToList();
        var hpas = _manifests.OfType<V2HorizontalPodAutoscaler>().ToList();
        Assert.Multiple(() =>
        {
            foreach (var (file, d) in Deployments)
            {
                var name = Manifests.NameOf(d);
                var targets = scaled.Count(s => s.Spec.ScaleTargetRef.Name == name && s.Spec.ScaleTargetRef.Kind is null or "Deployment")
                    + hpas.Count(h => h.Spec.ScaleTargetRef.Name == name && h.Spec.ScaleTargetRef.Kind == "Deployment");
                if (d.Metadata.Annotations?.TryGetValue(AutoscalingExemptAnnotation, out var reason) == true)
                {
                    Assert.That(file.Replace('\\', '/'), Does.StartWith("deploy/k8s/dev/"), $"{name}: only dev workloads may be exempt from autoscaling");
                    Assert.That(reason, Is.Not.Empty, $"{name}: say why it is not autoscaled");
                    Assert.That(targets, Is.Zero, $"{name}: exempt, yet autoscaled");
                    continue;
                }

                Assert.That(targets, Is.EqualTo(1), $"{file}: exactly one ScaledObject or HorizontalPodAutoscaler targets {name}");
            }
        });
    }

    [Test]
    public void Each_service_scales_on_the_length_of_exactly_its_own_queues()
    {
        var authentications = _manifests.OfType<KedaTriggerAuthentication>().Select(Manifests.NameOf).ToList();
        Assert.Multiple(() =>
        {
            foreach (var (service, queues) in QueuesByService())
            {
                var scaledObject = _manifests.OfType<KedaScaledObject>().SingleOrDefault(s => s.Spec.ScaleTargetRef.Name == service);
                if (queues.Length == 0)
                {
                    Assert.That(scaledObject, Is.Null, $"{service} consumes no queue: scale it on CPU with an HPA");
                    Assert.That(_manifests.OfType<V2HorizontalPodAutoscaler>().Count(h => h.Spec.ScaleTargetRef.Name == service), Is.EqualTo(1));
                    continue;
                }

                Assert.That(scaledObject, Is.Not.Null, $"ScaledObject for {service}");
                if (scaledObject is null)
                {
                    continue;
                }

                Assert.That(scaledObject.Spec.Triggers.Select(t => t.Type), Has.All.EqualTo("rabbitmq"), service);
                Assert.That(scaledObject.Spec.Triggers.Select(t => t.Metadata.TryGetValue("queueName", out var q) ? q : null), Is.EquivalentTo(queues), service);
                Assert.That(scaledObject.Spec.Triggers.Select(t => t.AuthenticationRef?.Name), Has.All.AnyOf(authentications.ToArray()),
                    $"{service}: every trigger authenticates through a TriggerAuthentication defined in the manifests");
                Assert.That(scaledObject.Spec.Triggers.Select(t => t.Metadata.ContainsKey("host")), Has.All.False,
                    $"{service}: the broker URI (with its password) comes from the Secret, never from trigger metadata");
            }
        });
    }

    [Test]
    public void No_secret_holds_data()
    {
        Assert.Multiple(() =>
        {
            foreach (var (file, secret) in _manifests.WithFile<V1Secret>())
            {
                Assert.That(secret.Data, Is.Null.Or.Empty, $"{file}: Secret {Manifests.NameOf(secret)} has data");
                Assert.That(secret.StringData, Is.Null.Or.Empty, $"{file}: Secret {Manifests.NameOf(secret)} has stringData");
            }
        });
    }

    [Test]
    public void Required_settings_come_from_secret_key_refs()
    {
        Assert.Multiple(() =>
        {
            foreach (var (file, d) in Deployments)
            {
                var name = Manifests.NameOf(d);
                var required = RequiredSecretEnv.GetValueOrDefault(name, ["ReconMesh__Postgres", "ReconMesh__RabbitMq"]);
                foreach (var c in Containers(d))
                {
                    var env = (c.Env ?? []).ToDictionary(e => e.Name);
                    foreach (var variable in required)
                    {
                        Assert.That(env.TryGetValue(variable, out var e) ? e.ValueFrom?.SecretKeyRef?.Name : null, Is.Not.Null.And.Not.Empty,
                            $"{file}: {name}/{c.Name} sets {variable} from a secretKeyRef");
                        Assert.That(env.TryGetValue(variable, out var v) ? v.Value : null, Is.Null, $"{file}: {variable} has a literal value");
                    }

                    foreach (var e in env.Values.Where(e => e.Value is not null))
                    {
                        Assert.That(LooksSecret(e.Name, e.Value), Is.False, $"{file}: {name}/{c.Name} env {e.Name} holds what looks like a secret");
                    }
                }
            }
        });
    }

    [Test]
    public void Config_maps_hold_no_secrets_and_the_services_use_quorum_queues()
    {
        var configMaps = _manifests.OfType<V1ConfigMap>().ToList();
        var config = configMaps.SingleOrDefault(c => Manifests.NameOf(c) == "reconmesh-config");
        Assert.That(config, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(config!.Data.TryGetValue("ReconMesh__QuorumQueues", out var quorum) ? quorum : null, Is.EqualTo("true"));
            foreach (var map in configMaps)
            {
                foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
                {
                    Assert.That(LooksSecret(key, value), Is.False, $"ConfigMap {Manifests.NameOf(map)} key {key} looks like a secret");
                }
            }

            foreach (var (file, d) in Deployments)
            {
                foreach (var from in Containers(d).SelectMany(c => c.EnvFrom ?? []).Where(f => f.ConfigMapRef is not null))
                {
                    Assert.That(configMaps.Select(Manifests.NameOf), Does.Contain(from.ConfigMapRef.Name), $"{file}: envFrom ConfigMap exists");
                }
            }
        });
    }

    private static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <summary>A literal value that should have been a secret reference: a password, a token, or a URI with credentials.</summary>
    internal static bool LooksSecret(string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        string[] secretNames = ["password", "token", "secret", "apikey", "api_key"];
        if (secretNames.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return value.Contains("password=", StringComparison.OrdinalIgnoreCase)
            || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal));
    }
}
