using System.Diagnostics;
using System.Globalization;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// Breaks the mesh on a seeded schedule: SIGKILLs each service at random moments and starts it again, and restarts the
/// run's own RabbitMQ node and PostgreSQL cluster once each (through <c>chaos-servers.sh</c>). Steps run one after
/// another, each when its moment has come, or at once if the previous one took longer.
/// </summary>
internal sealed class ChaosController(MeshProcesses mesh, string serversScript)
{
    public const string Kill = "kill";
    public const string RestartRabbitMq = "restart-rabbitmq";
    public const string RestartPostgres = "restart-postgres";

    /// <summary>A planned fault: at <paramref name="At"/> after the start, <paramref name="Action"/> on <paramref name="Target"/>, down for <paramref name="Down"/>.</summary>
    public sealed record Step(TimeSpan At, string Action, string Target, TimeSpan Down);

    /// <summary>What happened: when, and how long until every service was ready again.</summary>
    public sealed record Done(double AtSeconds, string Action, string Target, double DownSeconds, double RecoverySeconds);

    /// <summary>
    /// The schedule for a seed: <paramref name="killsEach"/> kills of every service at uniformly random moments of the
    /// window (each down 0.2-2 s), the broker restarted in its second quarter and the database in its third (down 2-6 s).
    /// </summary>
    public static IReadOnlyList<Step> Plan(Random random, IEnumerable<string> services, int killsEach, TimeSpan window)
    {
        TimeSpan Between(double from, double to) => window * (from + (to - from) * random.NextDouble());
        var steps = new List<Step>();
        foreach (var service in services)
        {
            for (var i = 0; i < killsEach; i++)
            {
                steps.Add(new Step(Between(0.02, 1.0), Kill, service, TimeSpan.FromMilliseconds(random.Next(200, 2000))));
            }
        }

        steps.Add(new Step(Between(0.25, 0.5), RestartRabbitMq, "rabbitmq", TimeSpan.FromSeconds(random.Next(2, 7))));
        steps.Add(new Step(Between(0.5, 0.75), RestartPostgres, "postgresql", TimeSpan.FromSeconds(random.Next(2, 7))));
        return [.. steps.OrderBy(s => s.At)];
    }

    public async Task<IReadOnlyList<Done>> RunAsync(IReadOnlyList<Step> plan, Stopwatch clock, CancellationToken cancellationToken)
    {
        var done = new List<Done>();
        foreach (var step in plan)
        {
            var wait = step.At - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken); // the fault's moment in the schedule, not a wait for a condition
            }

            var at = clock.Elapsed;
            var started = Stopwatch.StartNew();
            if (step.Action == Kill)
            {
                await mesh.KillAsync(step.Target);
                await Task.Delay(step.Down, cancellationToken);
                await mesh.RestartAsync(step.Target);
            }
            else
            {
                await RunServersScriptAsync(step.Action, step.Down, cancellationToken);
                await mesh.WaitAllReadyAsync();
            }

            var recovery = started.Elapsed.TotalSeconds;
            done.Add(new Done(Math.Round(at.TotalSeconds, 1), step.Action, step.Target, step.Down.TotalSeconds, Math.Round(recovery, 1)));
            Console.WriteLine($"[chaos] {at.TotalSeconds,6:F1} s  {step.Action} {step.Target}: down {step.Down.TotalSeconds:F1} s, " +
                $"all ready again after {recovery:F1} s");
        }

        return done;
    }

    private async Task RunServersScriptAsync(string action, TimeSpan down, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        start.ArgumentList.Add(serversScript);
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(((int)down.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {serversScript}");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{serversScript} {action} failed with exit code {process.ExitCode}");
        }
    }
}
