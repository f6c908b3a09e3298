using YamlDotNet.RepresentationModel;

namespace ReconMesh.DeployTests;

/// <summary>The Helm chart's values.yaml, read as YAML (Helm itself is not installable where these tests run).</summary>
public sealed class ChartValues
{
    private readonly YamlMappingNode _root;

    private ChartValues(YamlMappingNode root) => _root = root;

    public static ChartValues Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(RepositoryRoot.Combine("deploy", "helm", "reconmesh", "values.yaml"));
        yaml.Load(reader);
        return new ChartValues((YamlMappingNode)yaml.Documents[0].RootNode);
    }

    public string Scalar(params string[] path) => ((YamlScalarNode)Node(path)).Value ?? "";

    public YamlNode Node(params string[] path)
    {
        YamlNode node = _root;
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return node;
    }

    public bool Has(params string[] path)
    {
        try
        {
            Node(path);
            return true;
        }
        catch (KeyNotFoundException)
        {
            return false;
        }
    }

    public List<string> Keys(params string[] path) =>
        ((YamlMappingNode)Node(path)).Children.Keys.Select(k => ((YamlScalarNode)k).Value ?? "").ToList();

    public List<string> Sequence(params string[] path) =>
        ((YamlSequenceNode)Node(path)).Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
}
