using System.Diagnostics;
using System.Net;
using System.Reflection;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// ReconMesh services as separate OS processes, started as <c>deploy/local/processes.sh</c> starts them: the service's
/// built dll (<c>services/X/bin/&lt;configuration of these tests&gt;/net10.0/X.dll</c>, which the test project's references
/// build), settings as environment variables (<c>ReconMesh:RabbitMq</c> as <c>ReconMesh__RabbitMq</c>), a loopback port of its own, ready when <c>/health/ready</c> answers 200.
/// Output goes to <c>artifacts/logs/test-&lt;name&gt;.log</c>. Every process still running is killed on dispose, and on exit
/// of the test process, so a failing test leaves none behind.
/// </summary>
public sealed class ServiceProcesses : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);
    private readonly List<Process> _processes = [];
    private readonly Lock _gate = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string _root = RepositoryRoot();

    public ServiceProcesses() => AppDomain.CurrentDomain.ProcessExit += KillAll;

    /// <summary>Starts <paramref name="project"/> (e.g. <c>ReconMesh.PaymentEvents</c>) and waits until it is ready; its URL.</summary>
    public async Task<Uri> StartAsync(string name, string project, IReadOnlyDictionary<string, string?> settings)
    {
        var (process, url, log) = Start(name, project, settings);
        await WaitReadyAsync(name, process, url, log);
        return url;
    }

    /// <summary>
    /// Starts <paramref name="project"/> with <paramref name="settings"/> (a null value leaves out a setting the tests give
    /// every service) expecting it to stop by itself: its exit code and its output.
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunToExitAsync(string name, string project, IReadOnlyDictionary<string, string?> settings)
    {
        var (process, _, log) = Start(name, project, settings);
        using var timeout = new CancellationTokenSource(ReadyTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await File.ReadAllTextAsync(log));
    }

    private (Process Process, Uri Url, string Log) Start(string name, string project, IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = typeof(ServiceProcesses).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Configuration").Value;
        var dll = Path.Combine(_root, "services", project, "bin", configuration!, "net10.0", project + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the test project (it references the services) in {configuration}.");
        }

        var logs = Path.Combine(_root, "artifacts", "logs");
        Directory.CreateDirectory(logs);
        var log = Path.Combine(logs, $"test-{name}.log");
        var url = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // exec: the pid is the service's own, so killing it reaches the service and not a shell around it.
        foreach (var arg in new[] { "-c", "exec dotnet \"$1\" >\"$2\" 2>&1", "sh", dll, log })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // The tests' token issuer and a webhook listener of its own, unless the test's own settings say otherwise (a null
        // leaves the setting out).
        var merged = new Dictionary<string, string?>(TestAuth.Settings) { [WebhookListener.UrlsKey] = $"http://127.0.0.1:{LoopbackPorts.Free()}" };
        foreach (var (key, value) in TestIntegrations.Settings)
        {
            merged[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }

        foreach (var (key, value) in merged)
        {
            if (value is null)
            {
                start.Environment.Remove(key.Replace(":", "__", StringComparison.Ordinal)); // not inherited from the test run either
            }
            else
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        lock (_gate)
        {
            _processes.Add(process);
        }

        return (process, url, log);
    }

    private async Task WaitReadyAsync(string name, Process process, Uri url, string log)
    {
        await Eventually.Until(async () =>
        {
            if (process.HasExited)
            {
                Assert.Fail($"{name} exited (code {process.ExitCode}) before it was ready; its log ({log}) ends:\n{Tail(log)}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(url, "/health/ready"));
                return response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return (HttpStatusCode?)null; // not listening yet
            }
        }, status => status == HttpStatusCode.OK, $"{name} to answer 200 at {url}health/ready (log: {log})", ReadyTimeout);
    }

    private static string Tail(string log) =>
        File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(30)) : "(no log)";

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReconMesh.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ReconMesh.sln above {AppContext.BaseDirectory}.");
    }

    private void KillAll(object? sender, EventArgs e) => KillAll();

    private void KillAll()
    {
        lock (_gate)
        {
            foreach (var process in _processes)
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                        process.WaitForExit(TimeSpan.FromSeconds(10));
                    }
                }
                catch (InvalidOperationException)
                {
                    // already gone
                }

                process.Dispose();
            }

            _processes.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillAll;
        KillAll();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
