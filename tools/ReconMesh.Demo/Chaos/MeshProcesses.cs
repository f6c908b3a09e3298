using System.Diagnostics;
using System.Globalization;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// The three services as separate OS processes, as <c>deploy/local/processes.sh</c> starts them (the built dll, the
/// environment of this driver plus the service's own settings, a log under artifacts), but owned by the chaos driver so
/// it can SIGKILL one and start it again. The current pids are kept in a file, so the script that started the driver can
/// stop them if the driver itself dies. Like an orchestrator, it starts a service again when it exits before it is ready
/// (a service started while PostgreSQL is away stops at once) or is not ready in time, and, while <see cref="WatchAsync"/>
/// runs, when its liveness probe fails or it exits. Faults of different services run at the same time.
/// </summary>
internal sealed partial class MeshProcesses : IAsyncDisposable
{
    public sealed record Service(string Name, string Project, Uri Url, IReadOnlyDictionary<string, string> Settings);

    /// <summary>How long a service may take to be ready again, whatever is restarted meanwhile, before the run gives up on it.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(6);

    /// <summary>The manifests' startup probe (deploy/k8s): 60 tries 2 s apart.</summary>
    private static readonly TimeSpan StartupLimit = TimeSpan.FromMinutes(2);


    private readonly string _root;
    private readonly string _logs;
    private readonly string _pidFile;
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Service Service, Process Process)> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _pids = new(1, 1);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly HttpClient _live = new() { Timeout = ProbeTimeout };
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _holds = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _orchestratorRestarts = new(StringComparer.Ordinal);

    public MeshProcesses(string root, string logs, string pidFile)
    {
        _root = root;
        _logs = logs;
        _pidFile = pidFile;
        Directory.CreateDirectory(logs);
    }

    public IReadOnlyCollection<Service> Services => [.. _running.Values.Select(r => r.Service)];

    /// <summary>
    /// Starts the service and waits until it is ready (its readiness endpoint answers 200). Like an orchestrator, it starts
    /// it again whenever it exits first, and SIGKILLs and starts again a process that does not answer its liveness probe
    /// within <see cref="StartupLimit"/> of its start (the manifests' startup probe: 60 tries 2 s apart). One that is live
    /// but not ready (its database away) is waited for, as Kubernetes does.
    /// </summary>
    public async Task StartAsync(Service service)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var process = await LaunchAsync(service);
            var (outcome, last) = await WaitReadyAsync(service.Name, process, StartupLimit);
            while (outcome == Outcome.TimedOut && clock.Elapsed < ReadyTimeout && await ProbeAsync(_live, new Uri(service.Url, "/health/live")) is null)
            {
                (outcome, last) = await WaitReadyAsync(service.Name, process, ReadyTimeout - clock.Elapsed);
            }

            if (outcome == Outcome.Ready)
            {
                return;
            }

            if (outcome == Outcome.TimedOut)
            {
                Console.WriteLine($"[chaos] {service.Name} (pid {process.Id}) was not live {StartupLimit.TotalSeconds:F0} s after it started " +
                    $"(its readiness last answered {last}): SIGKILLed and started again, as a failing startup probe does");
                await KillQuietlyAsync(process);
                _orchestratorRestarts.AddOrUpdate(service.Name, 1, (_, n) => n + 1);
            }

            if (clock.Elapsed > ReadyTimeout)
            {
                throw new InvalidOperationException($"{service.Name} was not ready at {service.Url} within {ReadyTimeout.TotalSeconds:F0} s " +
                    $"of starting it, whatever was tried; its readiness last answered {last}");
            }

            await Task.Delay(RestartDelay); // an orchestrator's pause before it starts a crashed process again
        }
    }

    private async Task<Process> LaunchAsync(Service service)
    {
        var dll = Path.Combine(_root, "services", service.Project, "bin", "Release", "net10.0", service.Project + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first (./run chaos does).");
        }

        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // exec: the pid is the service's own, so a SIGKILL reaches it and not a shell around it.
        foreach (var arg in new[] { "-c", "exec dotnet \"$1\" >>\"$2\" 2>&1", "sh", dll, Path.Combine(_logs, service.Name + ".log") })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_URLS"] = service.Url.ToString().TrimEnd('/');
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in service.Settings)
        {
            start.Environment[key] = value;
        }

        // The process it replaces is not disposed: another fault may still be asking whether it has exited.
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {service.Name}");
        _running[service.Name] = (service, process);
        await WritePidsAsync();
        return process;
    }

    /// <summary>SIGKILL: no shutdown hooks, no draining; whatever it was doing is cut off mid-way.</summary>
    public Task KillAsync(string name) => KillQuietlyAsync(_running[name].Process);

    public async Task RestartAsync(string name) => await StartAsync(_running[name].Service);

    /// <summary>SIGSTOP or SIGCONT: the process freezes (its connections stay open, its locks held) or goes on.</summary>
    public void Signal(string name, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _running[name].Process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} of {name} failed");
        }
    }

    /// <summary>
    /// Waits until every service is ready again (after a fault of the servers or another process); a service that is
    /// dead, starting or stuck meanwhile is another fault's or the watcher's to start again, and is waited for.
    /// </summary>
    public async Task WaitAllReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        foreach (var name in _running.Keys)
        {
            while (true)
            {
                var (outcome, last) = await WaitReadyAsync(name, process: null, ReadyTimeout - clock.Elapsed);
                if (outcome == Outcome.Ready)
                {
                    break;
                }

                if (outcome == Outcome.TimedOut)
                {
                    var current = _running[name].Process;
                    throw new InvalidOperationException($"{name} (pid {current.Id}, {(current.HasExited ? $"exited with {current.ExitCode}" : "running")}) " +
                        $"was not ready at {_running[name].Service.Url} after {ReadyTimeout.TotalSeconds:F0} s; its readiness last answered {last}");
                }

                await Task.Delay(RestartDelay); // its own fault, or the watcher, is starting it again
            }
        }
    }

    private enum Outcome
    {
        Ready,
        Exited,
        TimedOut,
    }

    /// <summary>Ready once <paramref name="name"/> answers ready; exited if <paramref name="process"/> (or the current one) exited first.</summary>
    private async Task<(Outcome Outcome, string Last)> WaitReadyAsync(string name, Process? process, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (true)
        {
            var (service, current) = _running[name];
            if ((process ?? current).HasExited)
            {
                return (Outcome.Exited, last);
            }

            var failure = await ProbeAsync(_http, new Uri(service.Url, "/health/ready"));
            if (failure is null)
            {
                return (Outcome.Ready, last);
            }

            last = failure;
            if (clock.Elapsed > limit)
            {
                return (Outcome.TimedOut, last);
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Null when the endpoint answers 2xx; otherwise what it said (a status and body, refused, timed out).</summary>
    private static async Task<string?> ProbeAsync(HttpClient http, Uri url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return ex.Message; // not listening, or frozen
        }
    }

    private async Task WritePidsAsync()
    {
        await _pids.WaitAsync();
        try
        {
            await File.WriteAllLinesAsync(_pidFile, _running.Values.Where(r => !r.Process.HasExited)
                .Select(r => r.Process.Id.ToString(CultureInfo.InvariantCulture)));
        }
        finally
        {
            _pids.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in _running.Values.Where(r => !r.Process.HasExited))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _running.Clear();
        await WritePidsAsync();
        _http.Dispose();
        _live.Dispose();
        _pids.Dispose();
    }
}
