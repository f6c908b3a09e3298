using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReconMesh.Bench;

/// <summary>Reading and writing the figures as flat JSON.</summary>
internal static class Summary
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static async Task WriteAsync(string path, IDictionary<string, object> values)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(values, Options));
    }

    public static JsonObject Read(string path) =>
        File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : [];
}
