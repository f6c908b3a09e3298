using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// A command run as a terminal runs it: in a process group of its own (<c>setsid</c>), its output (stdout and stderr)
/// read line by line. Disposing sends the group SIGINT, as Ctrl-C does, so the command and every process it started,
/// however deep, stop as they would for a person; whatever is still in the group a minute later is killed.
/// </summary>
public sealed class ProcessGroup : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private int _openStreams = 2;

    private ProcessGroup(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
        _process.Start();
        _process.StandardInput.Close(); // nothing is typed in
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the command printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Its exit code, once it has exited.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Starts <paramref name="command"/> in <paramref name="directory"/>, with the test's environment changed by <paramref name="environment"/> (null removes a variable).</summary>
    public static ProcessGroup Start(string directory, IReadOnlyDictionary<string, string?> environment, params string[] command)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return new ProcessGroup(start);
    }

    /// <summary>
    /// Whether the command prints a line containing <paramref name="text"/> within <paramref name="timeout"/> (false if its
    /// output ends first). Lines are read once: a later call reads on from the line this one stopped at.
    /// </summary>
    public async Task<bool> PrintsAsync(string text, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(deadline.Token))
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // timed out
        }

        return false;
    }

    /// <summary>Its exit code, or null if it has not exited within <paramref name="timeout"/>.</summary>
    public async Task<int?> ExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // still running
        }

        return ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        // setsid execs the command in place, so the command's pid is its group's id.
        await SignalGroupAsync("INT");
        await ExitAsync(StopTimeout);
        await SignalGroupAsync("KILL"); // a process that ignored Ctrl-C, or outlived the command; none, normally
        _process.Dispose();
    }

    private async Task SignalGroupAsync(string signal)
    {
        var start = new ProcessStartInfo("kill") { RedirectStandardError = true }; // "no such process" once all are gone
        foreach (var argument in new[] { "-" + signal, "--", "-" + _process.Id })
        {
            start.ArgumentList.Add(argument);
        }

        using var kill = Process.Start(start)!;
        await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            if (Interlocked.Decrement(ref _openStreams) == 0)
            {
                _lines.Writer.Complete();
            }

            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        _lines.Writer.TryWrite(line);
    }
}
