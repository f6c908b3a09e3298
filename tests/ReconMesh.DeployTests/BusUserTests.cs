using System.Text.RegularExpressions;
using k8s.Models;

namespace ReconMesh.DeployTests;

/// <summary>
/// Each service connects to RabbitMQ as its own user (deploy/local/rabbitmq-users.sh, docs/security.md "The bus"): its
/// Deployment, and KEDA measuring its queues, read that user's AMQP URI from a key of its own in Secret
/// reconmesh-rabbitmq. A Deployment or TriggerAuthentication reading another service's key, or a key two services share,
/// would quietly give one service another's permissions.
/// </summary>
[TestFixture]
public sealed partial class BusUserTests
{
    private const string Secret = "reconmesh-rabbitmq";

    /// <summary>
    /// The key each workload reads. The sandbox plays the platform in dev clusters but cannot be the platform's user: that
    /// user may not declare the sandbox's <c>sandbox.platform.*</c> queues, nor the contracts' exchanges that MassTransit
    /// declares when it binds the sandbox's consumers.
    /// </summary>
    private static readonly Dictionary<string, string> OwnKeys = new()
    {
        ["invoice-ingest"] = "invoice-ingest-amqp-uri",
        ["payment-events"] = "payment-events-amqp-uri",
        ["writeback-service"] = "writeback-service-amqp-uri",
        ["sandbox"] = "sandbox-amqp-uri",
    };

    /// <summary>Workloads with no role in rabbitmq-users.sh (dev only, said why above).</summary>
    private static readonly string[] WithoutRole = ["sandbox"];

    /// <summary>
    /// Workloads that never connect to the bus, each with the reason: they get no user, no key and no queue to scale on,
    /// and must read no key of <see cref="Secret"/> at all. Every other workload is in <see cref="OwnKeys"/>.
    /// </summary>
    public static readonly Dictionary<string, string> WithoutBus = new()
    {
        ["operator-console"] = "web pages over the operator APIs, called over HTTP with the signed-in person's token; it publishes and consumes nothing",
    };

    private readonly Manifests _manifests = Manifests.LoadKubernetes();
    private readonly ChartValues _values = ChartValues.Load();

    /// <summary>What is wrong with who reads which key: (reader, the service whose user it should be, secret, key).</summary>
    public static List<string> Problems(IEnumerable<(string Reader, string Service, string Secret, string Key)> reads)
    {
        var problems = new List<string>();
        var list = reads.ToList();
        foreach (var (reader, service, secret, key) in list)
        {
            if (!OwnKeys.TryGetValue(service, out var own))
            {
                problems.Add($"{reader}: {service} has no bus user of its own; add it to rabbitmq-users.sh and to this test");
            }
            else if ((secret, key) != (Secret, own))
            {
                problems.Add($"{reader}: reads {secret}/{key}, not {service}'s own {Secret}/{own}");
            }
        }

        foreach (var shared in list.GroupBy(r => (r.Secret, r.Key)).Where(g => g.Select(r => r.Service).Distinct().Count() > 1))
        {
            problems.Add($"{shared.Key.Secret}/{shared.Key.Key} is shared by {string.Join(", ", shared.Select(r => r.Service).Distinct())}");
        }

        return problems;
    }

    [Test]
    public void The_check_catches_another_services_key_and_a_shared_key()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Problems([("a", "payment-events", Secret, "payment-events-amqp-uri"), ("b", "writeback-service", Secret, "writeback-service-amqp-uri")]),
                Is.Empty);
            Assert.That(Problems([("a", "payment-events", Secret, "writeback-service-amqp-uri")]), Has.Count.EqualTo(1), "another service's key");
            Assert.That(Problems([("a", "payment-events", Secret, "amqp-uri"), ("b", "writeback-service", Secret, "amqp-uri")]),
                Has.Count.EqualTo(3), "one shared key: each reader is wrong, and the key is shared");
            Assert.That(Problems([("a", "payment-events", "other-secret", "payment-events-amqp-uri")]), Has.Count.EqualTo(1), "another Secret");
            Assert.That(Problems([("a", "new-service", Secret, "new-service-amqp-uri")]), Has.Count.EqualTo(1), "a service without a user");
        });
    }

    [Test]
    public void Each_deployment_connects_to_the_bus_as_its_own_user()
    {
        var reads = (from d in _manifests.OfType<V1Deployment>()
                     from c in d.Spec.Template.Spec.Containers
                     from e in c.Env ?? []
                     where e.Name == "ReconMesh__RabbitMq"
                     let r = e.ValueFrom?.SecretKeyRef
                     select ($"Deployment {Manifests.NameOf(d)}", Manifests.NameOf(d), r?.Name ?? "", r?.Key ?? "")).ToList();
        var problems = Problems(reads);

        Assert.That(reads.Select(r => r.Item2), Is.EquivalentTo(OwnKeys.Keys), "every workload but those without the bus reads the bus URI");
        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    [Test]
    public void A_workload_without_the_bus_is_named_with_its_reason_and_reads_no_bus_key()
    {
        var deployments = _manifests.OfType<V1Deployment>().ToDictionary(Manifests.NameOf);
        Assert.Multiple(() =>
        {
            Assert.That(deployments.Keys.Where(d => !OwnKeys.ContainsKey(d)), Is.EquivalentTo(WithoutBus.Keys),
                "a workload is either a bus user of its own or listed in WithoutBus with its reason");
            Assert.That(WithoutBus.Keys.Intersect(OwnKeys.Keys), Is.Empty, "not both");
            foreach (var (name, reason) in WithoutBus)
            {
                Assert.That(reason, Is.Not.Empty, $"{name}: say why it has no bus user");
                var container = deployments[name].Spec.Template.Spec.Containers.Single();
                Assert.That((container.Env ?? []).Select(e => e.Name), Has.None.EqualTo("ReconMesh__RabbitMq"), $"{name}: no bus URI");
                Assert.That((container.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef?.Name), Has.None.EqualTo(Secret), $"{name}: no key of {Secret}");
                Assert.That((container.EnvFrom ?? []).Select(e => e.SecretRef?.Name), Has.None.EqualTo(Secret), $"{name}: not all of {Secret} either");
                Assert.That(_manifests.OfType<KedaScaledObject>().Select(s => s.Spec.ScaleTargetRef.Name), Has.None.EqualTo(name),
                    $"{name}: no queue of its own to scale on");
                Assert.That(_values.Sequence("services", name, "secretSettings"), Has.None.EqualTo("rabbitmq"), $"chart: {name} reads no bus URI");
            }
        });
    }

    [Test]
    public void KEDA_measures_each_services_queues_as_that_services_user()
    {
        var authentications = _manifests.OfType<KedaTriggerAuthentication>().ToDictionary(Manifests.NameOf);
        var reads = new List<(string, string, string, string)>();
        foreach (var scaled in _manifests.OfType<KedaScaledObject>())
        {
            var service = scaled.Spec.ScaleTargetRef.Name;
            foreach (var name in scaled.Spec.Triggers.Select(t => t.AuthenticationRef?.Name ?? "(none)").Distinct())
            {
                var refs = authentications.TryGetValue(name, out var auth) ? auth.Spec.SecretTargetRef : [];
                reads.AddRange(refs.Select(r => ($"TriggerAuthentication {name} of {service}'s ScaledObject", service, r.Name, r.Key)));
                Assert.That(refs.Select(r => r.Parameter), Is.EqualTo(new[] { "host" }), $"{service}: {name} gives KEDA the host (URI) only");
            }
        }

        var problems = Problems(reads);

        Assert.That(reads, Is.Not.Empty, "the manifests scale services on their queues");
        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    [Test]
    public void The_charts_services_each_read_their_own_key()
    {
        var services = _values.Keys("services");
        var reads = services.Where(s => _values.Has("rabbitmq", "uriKeys", s))
            .Select(s => ($"values.yaml rabbitmq.uriKeys.{s}", s, _values.Scalar("rabbitmq", "existingSecret"), _values.Scalar("rabbitmq", "uriKeys", s)))
            .ToList();
        var problems = Problems(reads);

        Assert.That(_values.Keys("rabbitmq", "uriKeys"), Is.EquivalentTo(services.Except(WithoutBus.Keys)),
            "a key for every service of the chart but those without the bus, and only for them");
        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    [Test]
    public void Each_key_belongs_to_a_user_of_the_bus_users_script()
    {
        var script = File.ReadAllText(RepositoryRoot.Combine("deploy", "local", "rabbitmq-users.sh"));
        var roles = RolesPattern().Match(script).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            Assert.That(roles, Is.Not.Empty, "rabbitmq-users.sh lists its roles as roles=(...)");
            foreach (var (service, key) in OwnKeys.Where(k => !WithoutRole.Contains(k.Key)))
            {
                Assert.That(roles, Does.Contain(service), $"{service} has a user in rabbitmq-users.sh");
                Assert.That(key, Is.EqualTo($"{service}-amqp-uri"), $"{service}'s key names its user");
            }

            Assert.That(roles, Has.None.AnyOf(WithoutRole), "a workload listed without a role has one now: give it its role's key");
        });
    }

    [GeneratedRegex(@"^roles=\(([^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex RolesPattern();
}
