using k8s;
using k8s.Models;

namespace ReconMesh.DeployTests;

/// <summary>Every Kubernetes object in deploy/k8s (and its sub-folders), loaded with the client's typed models.</summary>
public sealed class Manifests
{
    private static readonly Dictionary<string, Type> CustomTypes = new()
    {
        [$"{KedaScaledObject.ApiGroupVersion}/ScaledObject"] = typeof(KedaScaledObject),
        [$"{KedaScaledObject.ApiGroupVersion}/TriggerAuthentication"] = typeof(KedaTriggerAuthentication),
    };

    private Manifests(IReadOnlyList<(string File, object Object)> objects) => Objects = objects;

    /// <summary>Each object with the file (relative to the repository) it came from.</summary>
    public IReadOnlyList<(string File, object Object)> Objects { get; }

    public IEnumerable<T> OfType<T>() => Objects.Select(o => o.Object).OfType<T>();

    public IEnumerable<(string File, T Object)> WithFile<T>() =>
        Objects.Where(o => o.Object is T).Select(o => (o.File, (T)o.Object));

    /// <summary>deploy/k8s and its sub-folders.</summary>
    public static Manifests LoadKubernetes() => Load(RepositoryRoot.Combine("deploy", "k8s"));

    public static Manifests Load(string directory)
    {
        var objects = new List<(string, object)>();
        foreach (var path in ManifestFiles(directory))
        {
            var relative = Path.GetRelativePath(RepositoryRoot.Path, path);
            // strict: a field the typed model does not know (a typo, a wrong indentation) is an error, not ignored.
            List<object> loaded;
            try
            {
                loaded = KubernetesYaml.LoadAllFromString(File.ReadAllText(path), CustomTypes, strict: true);
            }
            catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
            {
                throw new InvalidOperationException($"{relative} does not load as typed Kubernetes objects: {ex.Message}", ex);
            }

            objects.AddRange(loaded.Select(o => (relative, o)));
        }

        return new Manifests(objects);
    }

    /// <summary>The YAML files that hold objects; kustomization files only list them.</summary>
    public static IEnumerable<string> ManifestFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => !Path.GetFileName(f).StartsWith("kustomization.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static string NameOf(IKubernetesObject<V1ObjectMeta> o) => o.Metadata?.Name ?? "(unnamed)";
}
