using System.Diagnostics;
using System.Globalization;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// The three services as separate OS processes, as <c>deploy/local/processes.sh</c> starts them (the built dll, the
/// environment of this driver plus the service's own settings, a log under artifacts), but owned by the chaos driver so
/// it can SIGKILL one and start it again. The current pids are kept in a file, so the script that started the driver can
/// stop them if the driver itself dies.
/// </summary>
internal sealed class MeshProcesses : IAsyncDisposable
{
    public sealed record Service(string Name, string Project, Uri Url, IReadOnlyDictionary<string, string> Settings);

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    private readonly string _root;
    private readonly string _logs;
    private readonly string _pidFile;
    private readonly Dictionary<string, (Service Service, Process Process)> _running = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public MeshProcesses(string root, string logs, string pidFile)
    {
        _root = root;
        _logs = logs;
        _pidFile = pidFile;
        Directory.CreateDirectory(logs);
    }

    public IReadOnlyCollection<Service> Services => [.. _running.Values.Select(r => r.Service)];

    /// <summary>Starts the service and waits until it is ready (its readiness endpoint answers 200).</summary>
    public async Task StartAsync(Service service)
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

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {service.Name}");
        if (_running.TryGetValue(service.Name, out var before))
        {
            before.Process.Dispose();
        }

        _running[service.Name] = (service, process);
        await WritePidsAsync();
        await WaitReadyAsync(service.Name);
    }

    /// <summary>SIGKILL: no shutdown hooks, no draining; whatever it was doing is cut off mid-way.</summary>
    public async Task KillAsync(string name)
    {
        var process = _running[name].Process;
        process.Kill();
        await process.WaitForExitAsync();
    }

    public async Task RestartAsync(string name) => await StartAsync(_running[name].Service);

    /// <summary>Waits until every service is ready again (after a broker or database restart); how long it took.</summary>
    public async Task<TimeSpan> WaitAllReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        foreach (var name in _running.Keys)
        {
            await WaitReadyAsync(name);
        }

        return clock.Elapsed;
    }

    private async Task WaitReadyAsync(string name)
    {
        var (service, process) = _running[name];
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{name} exited (code {process.ExitCode}) before it was ready; see {Path.Combine(_logs, name + ".log")}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(service.Url, "/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (clock.Elapsed > ReadyTimeout)
            {
                throw new InvalidOperationException($"{name} was not ready at {service.Url} after {ReadyTimeout.TotalSeconds:F0} s");
            }

            await Task.Delay(250);
        }
    }

    private Task WritePidsAsync() =>
        File.WriteAllLinesAsync(_pidFile, _running.Values.Where(r => !r.Process.HasExited)
            .Select(r => r.Process.Id.ToString(CultureInfo.InvariantCulture)));

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
    }
}
