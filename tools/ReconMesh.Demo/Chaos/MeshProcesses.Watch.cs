using System.Diagnostics;

namespace ReconMesh.Demo.Chaos;

/// <summary>The orchestrator's part while the run lasts: the manifests' liveness probe, and a start again for what exits.</summary>
internal sealed partial class MeshProcesses
{
    /// <summary>The manifests' liveness probe: every 10 s, 3 s to answer, 3 failures in a row.</summary>
    private static readonly TimeSpan ProbePeriod = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    private const int ProbeFailures = 3;

    /// <summary>Runs <paramref name="fault"/> on the service (a kill and start, a pause) while the watcher leaves it alone.</summary>
    public async Task WhileHeldAsync(string name, Func<Task> fault)
    {
        var hold = Hold(name);
        await hold.WaitAsync();
        try
        {
            await fault();
        }
        finally
        {
            hold.Release();
        }
    }

    /// <summary>
    /// What a kubelet does for each process while the run lasts (the manifests' probes): its liveness endpoint asked
    /// every <see cref="ProbePeriod"/> with a <see cref="ProbeTimeout"/>; after <see cref="ProbeFailures"/> failures in a
    /// row, or once it has exited, it is SIGKILLed and started again. A service under a fault is left to that fault.
    /// </summary>
    public Task WatchAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_running.Keys.Select(name => WatchOneAsync(name, cancellationToken)));

    private async Task WatchOneAsync(string name, CancellationToken cancellationToken)
    {
        var hold = Hold(name);
        var failures = 0;
        using var timer = new PeriodicTimer(ProbePeriod);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (!await hold.WaitAsync(0, cancellationToken))
            {
                failures = 0; // under a fault: the fault starts it again
                continue;
            }

            try
            {
                var (service, process) = _running[name];
                var failure = process.HasExited ? $"exited with {process.ExitCode}" : await ProbeAsync(_live, new Uri(service.Url, "/health/live"));
                failures = failure is null ? 0 : failures + 1;
                if (failure is null || (!process.HasExited && failures < ProbeFailures))
                {
                    continue;
                }

                Console.WriteLine($"[chaos] {name} (pid {process.Id}) {(process.HasExited ? failure : $"failed its liveness probe {failures} times (last: {failure})")}: " +
                    "SIGKILLed and started again, as a kubelet does");
                await KillQuietlyAsync(process);
                _orchestratorRestarts.AddOrUpdate(name, 1, (_, n) => n + 1);
                failures = 0;
                await StartAsync(service);
            }
            finally
            {
                hold.Release();
            }
        }
    }

    private SemaphoreSlim Hold(string name) => _holds.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));

    /// <summary>Processes started again by the orchestrator's part (a failed startup or liveness probe, an exit), by service.</summary>
    public IReadOnlyDictionary<string, int> OrchestratorRestarts => new SortedDictionary<string, int>(_orchestratorRestarts, StringComparer.Ordinal);

    private static async Task KillQuietlyAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
