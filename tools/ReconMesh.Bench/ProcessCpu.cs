using System.Globalization;

namespace ReconMesh.Bench;

/// <summary>
/// CPU time (user + system, from /proc/PID/stat) of the mesh's processes, the servers and this driver. PostgreSQL is
/// every process named <c>postgres</c> (postmaster, backends, background workers); RabbitMQ is <c>beam.smp</c>.
/// A PostgreSQL backend that exits between two snapshots loses its time, so that figure is a lower bound.
/// </summary>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100; // sysconf(_SC_CLK_TCK) on Linux

    public static Dictionary<string, double> Snapshot(IReadOnlyDictionary<string, int> named)
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, pid) in named)
        {
            if (Read(pid) is { } s)
            {
                seconds[name] = s.Seconds;
            }
        }

        seconds["bench-driver"] = Read(Environment.ProcessId)?.Seconds ?? 0;
        double postgres = 0, rabbit = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || Read(pid) is not { } s)
            {
                continue;
            }

            if (s.Command == "postgres")
            {
                postgres += s.Seconds;
            }
            else if (s.Command == "beam.smp")
            {
                rabbit += s.Seconds;
            }
        }

        seconds["postgresql"] = postgres;
        seconds["rabbitmq"] = rabbit;
        return seconds;
    }

    private static (string Command, double Seconds)? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            var command = stat[(open + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            // After "pid (comm) ": state is field 3, utime field 14, stime field 15 (1-based) => indexes 11 and 12 here.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (command, ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
