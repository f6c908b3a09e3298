using System.Diagnostics;
using System.Globalization;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// The three services as separate OS processes, as <c>deploy/local/processes.sh</c> starts them (the built dll, the
/// environment of this driver plus the service's own settings, a log under artifacts), but owned by the chaos driver so
/// it can SIGKILL one and start it again. The current pids are kept in a file, so the script that started the driver can
/// stop them if the driver itself dies. Like an orchestrator, it starts a service again when it exits before it is ready
/// (a service started while PostgreSQL is away stops at once). Faults of different services run at the same time.
/// </summary>
internal sealed class MeshProcesses : IAsyncDisposable
{
    public sealed record Service(string Name, string Project, Uri Url, IReadOnlyDictionary<string, string> Settings);

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    private readonly string _root;
    private readonly string _logs;
    private readonly string _pidFile;
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Service Service, Process Process)> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _pids = new(1, 1);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public MeshProcesses(string root, string logs, string pidFile)
    {
        _root = root;
        _logs = logs;
        _pidFile = pidFile;
        Directory.CreateDirectory(logs);
    }

    public IReadOnlyCollection<Service> Services => [.. _running.Values.Select(r => r.Service)];

    /// <summary>Starts the service and waits until it is ready (its readiness endpoint answers 200), starting it again whenever it exits first.</summary>
    public async Task StartAsync(Service service)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var process = await LaunchAsync(service);
            if (await WaitReadyAsync(service.Name, clock, process))
            {
                return;
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
    public async Task KillAsync(string name)
    {
        var process = _running[name].Process;
        process.Kill();
        await process.WaitForExitAsync();
    }

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
    /// dead or starting meanwhile is another fault's to restart, and is waited for.
    /// </summary>
    public async Task WaitAllReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        foreach (var name in _running.Keys)
        {
            while (!await WaitReadyAsync(name, clock, process: null))
            {
                await Task.Delay(RestartDelay); // its own fault is starting it again
            }
        }
    }

    /// <summary>True once <paramref name="name"/> answers ready; false if <paramref name="process"/> exited first.</summary>
    private async Task<bool> WaitReadyAsync(string name, Stopwatch clock, Process? process)
    {
        var last = "no answer yet";
        while (true)
        {
            var (service, current) = _running[name];
            if ((process ?? current).HasExited)
            {
                return false;
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(service.Url, "/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }

                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message; // not listening yet, or frozen
            }

            if (clock.Elapsed > ReadyTimeout)
            {
                // What the readiness endpoint last said, and the process it asked about: enough to tell a hung start from a failing check.
                throw new InvalidOperationException($"{name} (pid {current.Id}, {(current.HasExited ? $"exited with {current.ExitCode}" : "running")}) " +
                    $"was not ready at {service.Url} after {ReadyTimeout.TotalSeconds:F0} s; its readiness last answered {last}");
            }

            await Task.Delay(250);
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
        _pids.Dispose();
    }
}
