using System.Diagnostics;
using System.Globalization;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// Breaks the mesh on a seeded schedule (<see cref="ChaosSchedule"/>): SIGKILLs services and starts them again, pauses
/// one with SIGSTOP, SIGKILLs RabbitMQ nodes, restarts the RabbitMQ cluster and keeps PostgreSQL away (through
/// <c>chaos-servers.sh</c>). Every fault starts at its moment, while others may still be going on; faults of one target
/// take turns.
/// </summary>
internal sealed class ChaosController(MeshProcesses mesh, string serversScript)
{
    /// <summary>What happened: when, and how long until every service was ready again.</summary>
    public sealed record Done(double AtSeconds, string Action, string Target, double DownSeconds, double RecoverySeconds);

    public async Task<IReadOnlyList<Done>> RunAsync(IReadOnlyList<ChaosSchedule.Step> plan, Stopwatch clock, CancellationToken cancellationToken)
    {
        var lanes = plan.Select(ChaosSchedule.Lane).Distinct().ToDictionary(l => l, _ => new SemaphoreSlim(1, 1));
        var done = new List<Done>();
        await Task.WhenAll(plan.Select(async step =>
        {
            var wait = step.At - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken); // the fault's moment in the schedule, not a wait for a condition
            }

            var lane = lanes[ChaosSchedule.Lane(step)];
            var at = clock.Elapsed;
            var started = Stopwatch.StartNew();
            await lane.WaitAsync(cancellationToken);
            try
            {
                await BreakAsync(step, cancellationToken);
            }
            finally
            {
                lane.Release();
            }

            // Recovered once every service is ready again, whatever else is still broken meanwhile.
            await mesh.WaitAllReadyAsync();
            var recovery = started.Elapsed.TotalSeconds;
            Console.WriteLine($"[chaos] {at.TotalSeconds,6:F1} s  {step.Action} {step.Target}: down {step.Down.TotalSeconds:F1} s, " +
                $"all ready again after {recovery:F1} s");
            lock (done)
            {
                done.Add(new Done(Math.Round(at.TotalSeconds, 1), step.Action, step.Target, step.Down.TotalSeconds, Math.Round(recovery, 1)));
            }
        }));
        foreach (var lane in lanes.Values)
        {
            lane.Dispose();
        }

        return [.. done.OrderBy(d => d.AtSeconds)];
    }

    private async Task BreakAsync(ChaosSchedule.Step step, CancellationToken cancellationToken)
    {
        switch (step.Action)
        {
            case ChaosSchedule.Kill:
                await mesh.WhileHeldAsync(step.Target, async () =>
                {
                    await mesh.KillAsync(step.Target);
                    await Task.Delay(step.Down, cancellationToken); // how long the process stays dead
                    await mesh.RestartAsync(step.Target);
                });
                break;
            case ChaosSchedule.Pause:
                await mesh.WhileHeldAsync(step.Target, async () =>
                {
                    mesh.Signal(step.Target, "STOP");
                    await Task.Delay(step.Down, cancellationToken); // how long the process stays frozen
                    mesh.Signal(step.Target, "CONT");
                });
                break;
            case ChaosSchedule.KillRabbitMqNode:
                await RunServersScriptAsync(cancellationToken, step.Action, step.Target["rabbitmq-".Length..], Seconds(step.Down));
                break;
            default:
                await RunServersScriptAsync(cancellationToken, step.Action, Seconds(step.Down));
                break;
        }
    }

    /// <summary>How many faults were still going on (down or recovering) while another began.</summary>
    public static int Overlapping(IReadOnlyList<Done> done) =>
        done.Count(d => done.Any(o => o != d && o.AtSeconds < d.AtSeconds + d.RecoverySeconds && d.AtSeconds < o.AtSeconds + o.RecoverySeconds));

    private static string Seconds(TimeSpan down) => ((int)down.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    private async Task RunServersScriptAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        start.ArgumentList.Add(serversScript);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {serversScript}");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{serversScript} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}");
        }
    }
}
