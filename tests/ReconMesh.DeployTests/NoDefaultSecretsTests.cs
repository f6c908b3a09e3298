using System.Text.RegularExpressions;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace ReconMesh.DeployTests;

/// <summary>
/// The deploy configuration commits no password, secret or token: compose takes each from deploy/.env with no default
/// (<c>${X:?...}</c>), the Kubernetes manifests and the Helm chart only name Secrets the operator creates, and the
/// example files leave them empty. A default password in a deploy file is one that ends up in production.
/// </summary>
[TestFixture]
public sealed partial class NoDefaultSecretsTests
{
    /// <summary>Setting names that hold a secret value.</summary>
    [GeneratedRegex("(?i)(password|passwd|pass$|secret|token|apikey|api_key|privatekey|private_key|signingkey|credential)")]
    private static partial Regex SecretName();

    /// <summary>Setting names that only name where a secret is (a Secret's name or key), never hold one.</summary>
    private static readonly HashSet<string> References = new(StringComparer.OrdinalIgnoreCase)
    {
        "existingSecret", "secretKey", "uriKey", "connectionStringKey", "imagePullSecrets", "secretSettings", "secretTargetRef",
        "secretKeyRef", "secretRef", "secretName", "automountServiceAccountToken", "parameter",
    };

    /// <summary>A password in a connection string, or a user:password in a URI, that is not an interpolation or a placeholder.</summary>
    [GeneratedRegex(@"(?i)(password|pwd)\s*=\s*(?!\$\{|<|;|$)[^;""'\s]+|[a-z]+s?://[^\s:/@${}]+:(?!\$\{|<)[^\s@/]+@")]
    private static partial Regex EmbeddedCredential();

    /// <summary>A compose interpolation of a secret-named variable with a non-empty default: <c>${POSTGRES_PASSWORD:-postgres}</c>.</summary>
    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:?-)(?<default>[^}]+)\}")]
    private static partial Regex InterpolationWithDefault();

    /// <summary>The simulators' published, fake credentials (docs/sandbox.md), which examples aimed at the sandbox may use.</summary>
    private const string SandboxCredentialPrefix = "sandbox-";

    [Test]
    public void The_checks_catch_what_they_are_for()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Problems("x", "POSTGRES_PASSWORD", "postgres"), Is.Not.Empty);
            Assert.That(Problems("x", "PASSWORD", "${POSTGRES_PASSWORD:-postgres}"), Is.Not.Empty);
            Assert.That(Problems("x", "url", "amqp://guest:guest@rabbitmq:5672/"), Is.Not.Empty);
            Assert.That(Problems("x", "conn", "Host=db;Username=app;Password=hunter2"), Is.Not.Empty);
            Assert.That(Problems("x", "webhookSecret", "change-me"), Is.Not.Empty);
            Assert.That(Problems("x", "PASSWORD", "${POSTGRES_PASSWORD:?set it}"), Is.Empty);
            Assert.That(Problems("x", "url", "amqp://${RABBITMQ_USER:-reconmesh}:${RABBITMQ_PASSWORD:?set it}@rabbitmq:5672/"), Is.Empty);
            Assert.That(Problems("x", "conn", "Host=db;Password=<password>;SSL Mode=Require"), Is.Empty);
            Assert.That(Problems("x", "existingSecret", "reconmesh-postgres"), Is.Empty);
        });
    }

    [Test]
    public void The_bus_users_Job_reads_every_password_from_a_Secret()
    {
        var file = RepositoryRoot.Combine("deploy", "rabbitmq", "bus-users-job.yaml");
        var problems = YamlScalars(file).SelectMany(s => Problems("deploy/rabbitmq/bus-users-job.yaml", s.Key, s.Value)).ToList();

        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    [Test]
    public void Compose_takes_every_secret_from_the_environment_without_a_default()
    {
        var problems = YamlScalars(RepositoryRoot.Combine("deploy", "compose.yaml")).SelectMany(s => Problems("deploy/compose.yaml", s.Key, s.Value)).ToList();

        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    [Test]
    public void The_Kubernetes_manifests_hold_no_secret_and_read_every_secret_from_a_Secret()
    {
        var directory = RepositoryRoot.Combine("deploy", "k8s");
        var manifests = Manifests.Load(directory);
        var problems = Manifests.ManifestFiles(directory)
            .SelectMany(f => YamlScalars(f).SelectMany(s => Problems(Path.GetRelativePath(RepositoryRoot.Path, f), s.Key, s.Value)))
            .ToList();
        foreach (var (file, secret) in manifests.WithFile<V1Secret>())
        {
            problems.Add($"{file}: Secret {secret.Metadata?.Name} is committed with its values; create it outside the repository");
        }

        foreach (var (file, deployment) in manifests.WithFile<V1Deployment>())
        {
            foreach (var env in deployment.Spec.Template.Spec.Containers.SelectMany(c => c.Env ?? []))
            {
                if (SecretName().IsMatch(env.Name) && env.Value is not null)
                {
                    problems.Add($"{file}: {env.Name} has a value in the manifest; take it from a Secret (valueFrom.secretKeyRef)");
                }
            }
        }

        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    [Test]
    public void The_Helm_chart_holds_no_secret_value_and_creates_no_Secret()
    {
        var chart = RepositoryRoot.Combine("deploy", "helm", "reconmesh");
        var problems = YamlScalars(Path.Combine(chart, "values.yaml")).SelectMany(s => Problems("deploy/helm/reconmesh/values.yaml", s.Key, s.Value)).ToList();
        foreach (var template in Directory.EnumerateFiles(Path.Combine(chart, "templates"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepositoryRoot.Path, template);
            var lines = File.ReadAllLines(template);
            for (var i = 0; i < lines.Length; i++)
            {
                if (Regex.IsMatch(lines[i], @"^\s*kind:\s*Secret\s*$"))
                {
                    problems.Add($"{relative}:{i + 1}: the chart creates a Secret; it must only name existing ones");
                }

                if (EmbeddedCredential().Match(lines[i]) is { Success: true } match)
                {
                    problems.Add($"{relative}:{i + 1}: a credential in the template ({match.Value})");
                }
            }
        }

        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    [Test]
    public void The_example_environment_files_leave_secrets_empty()
    {
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.Combine("deploy"), "*.example", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepositoryRoot.Path, file);
            foreach (var line in File.ReadLines(file).Where(l => !l.TrimStart().StartsWith('#') && l.Contains('=', StringComparison.Ordinal)))
            {
                var (name, value) = (line[..line.IndexOf('=', StringComparison.Ordinal)].Trim(), line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim());
                if (value.StartsWith(SandboxCredentialPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                problems.AddRange(Problems(relative, name, value));
            }
        }

        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    /// <summary>What is wrong with one setting, if anything.</summary>
    private static IEnumerable<string> Problems(string file, string key, string value)
    {
        if (value.Length == 0)
        {
            yield break;
        }

        var leaf = key.Split('.', ':').Last();
        if (!References.Contains(leaf) && SecretName().IsMatch(leaf) && !IsInterpolationWithoutDefault(value))
        {
            yield return $"{file}: {key} has a committed value; take it from a Secret or an environment variable without a default";
        }

        if (EmbeddedCredential().Match(value) is { Success: true } embedded)
        {
            yield return $"{file}: {key} embeds a credential ({embedded.Value})";
        }

        foreach (Match m in InterpolationWithDefault().Matches(value))
        {
            if (SecretName().IsMatch(m.Groups["name"].Value))
            {
                yield return $"{file}: {key} gives {m.Groups["name"].Value} the default '{m.Groups["default"].Value}'; use ${{{m.Groups["name"].Value}:?...}}";
            }
        }
    }

    private static bool IsInterpolationWithoutDefault(string value) =>
        Regex.IsMatch(value, @"^\$\{[A-Za-z_][A-Za-z0-9_]*(:\?[^}]*|:-|-)?\}$");

    /// <summary>Every scalar of every document in a YAML file, with its path of mapping keys.</summary>
    private static IEnumerable<(string Key, string Value)> YamlScalars(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        return yaml.Documents.SelectMany(d => Walk(d.RootNode, ""));
    }

    private static IEnumerable<(string Key, string Value)> Walk(YamlNode node, string key)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                yield return (key, scalar.Value ?? "");
                break;
            case YamlMappingNode mapping:
                foreach (var (k, v) in mapping.Children)
                {
                    foreach (var item in Walk(v, ((YamlScalarNode)k).Value ?? ""))
                    {
                        yield return item;
                    }
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children.SelectMany(c => Walk(c, key)))
                {
                    yield return item;
                }

                break;
        }
    }
}
