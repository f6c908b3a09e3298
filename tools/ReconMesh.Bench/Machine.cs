using System.Globalization;
using System.Runtime.InteropServices;

namespace ReconMesh.Bench;

/// <summary>The machine a bench ran on (cores, memory, OS, CPU, .NET), recorded with its figures so runs can be compared.</summary>
internal static class Machine
{
    public static Dictionary<string, object> Describe()
    {
        var memKb = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] ?? "0";
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"')
            : null;
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        return new Dictionary<string, object>
        {
            ["cores"] = Environment.ProcessorCount,
            ["memory_gib"] = Math.Round(long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0, 1),
            ["os"] = os ?? RuntimeInformation.OSDescription,
            ["kernel"] = RuntimeInformation.OSDescription,
            ["cpu"] = cpu ?? "unknown",
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
        };
    }
}
