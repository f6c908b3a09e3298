using System.Globalization;

namespace ReconMesh.Bench;

/// <summary><c>--key value</c> pairs, with the environment the entry point exports as the fallback for servers.</summary>
internal sealed class BenchOptions(Dictionary<string, string> values)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new BenchOptions(values);
    }

    public string Get(string key, string? fallback = null) =>
        values.TryGetValue(key, out var v) ? v : fallback ?? throw new ArgumentException($"--{key} is required");

    public int Int(string key, int fallback) =>
        values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public long Long(string key) => long.Parse(Get(key), CultureInfo.InvariantCulture);

    public static string RabbitMq => Environment.GetEnvironmentVariable("ReconMesh__RabbitMq")
        ?? throw new InvalidOperationException("ReconMesh__RabbitMq is not set (./run bench sets it)");

    public static string Postgres => Environment.GetEnvironmentVariable("ReconMesh__Postgres")
        ?? throw new InvalidOperationException("ReconMesh__Postgres is not set (./run bench sets it)");
}
