using Microsoft.Extensions.Configuration;

namespace ReconMesh.Sandbox.Faults;

/// <summary>What the middleware does with one request.</summary>
internal enum SandboxFaultKind
{
    None,
    ServerError,
    ServiceUnavailable,
    TimeoutAfterCommit,
    Throttle,
}

/// <summary>One request's fate: the latency to add and the fault (if any) to inject.</summary>
internal readonly record struct SandboxFaultDecision(int LatencyMs, SandboxFaultKind Kind);

/// <summary>
/// The fault state of one simulator: its profile, its seeded random source, the current 429 burst and the counts.
/// Decisions are taken one request at a time under a lock, and every request outside a burst draws the same number
/// of random values whatever the rates are, so a run with the same seed and the same request order repeats exactly.
/// </summary>
internal sealed class SimulatorFaults(string name, SandboxFaultProfile profile)
{
    private readonly Lock _gate = new();
    private SandboxFaultProfile _profile = profile;
    private Random _random = new(profile.Seed);
    private int _burstLeft;
    private long _requests;
    private long _delayed;
    private long _errors;
    private long _timeouts;
    private long _throttled;

    public string Name { get; } = name;

    public void Set(SandboxFaultProfile profile)
    {
        lock (_gate)
        {
            _profile = profile;
            _random = new Random(profile.Seed);
            _burstLeft = 0;
            _requests = _delayed = _errors = _timeouts = _throttled = 0;
        }
    }

    public SandboxFaultState State()
    {
        lock (_gate)
        {
            return new SandboxFaultState(Name, _profile, new SandboxFaultCounts(_requests, _delayed, _errors, _timeouts, _throttled));
        }
    }

    public SandboxFaultDecision Decide()
    {
        lock (_gate)
        {
            _requests++;
            var profile = _profile;
            if (profile.LatencyMs > 0)
            {
                _delayed++;
            }

            if (profile.IsQuiet)
            {
                return new SandboxFaultDecision(0, SandboxFaultKind.None);
            }

            if (_burstLeft > 0)
            {
                _burstLeft--;
                _throttled++;
                return new SandboxFaultDecision(profile.LatencyMs, SandboxFaultKind.Throttle);
            }

            var burst = _random.NextDouble();
            var error = _random.NextDouble();
            var which = _random.NextDouble();
            var timeout = _random.NextDouble();
            if (burst < profile.ThrottleBurstRate)
            {
                _burstLeft = profile.ThrottleBurstLength - 1;
                _throttled++;
                return new SandboxFaultDecision(profile.LatencyMs, SandboxFaultKind.Throttle);
            }

            if (error < profile.ErrorRate)
            {
                _errors++;
                return new SandboxFaultDecision(profile.LatencyMs, which < 0.5 ? SandboxFaultKind.ServerError : SandboxFaultKind.ServiceUnavailable);
            }

            if (timeout < profile.TimeoutAfterCommitRate)
            {
                _timeouts++;
                return new SandboxFaultDecision(profile.LatencyMs, SandboxFaultKind.TimeoutAfterCommit);
            }

            return new SandboxFaultDecision(profile.LatencyMs, SandboxFaultKind.None);
        }
    }
}

/// <summary>The fault state of every simulator, registered as a singleton by <see cref="SandboxFaultsExtensions.AddSandboxFaults"/>.</summary>
public sealed class SandboxFaultInjector
{
    /// <summary>Configuration section with one sub-section per simulator.</summary>
    public const string SectionName = "Sandbox:Faults";

    public const string QuickBooks = "quickbooks";
    public const string ConnectWise = "connectwise";
    public const string Xero = "xero";
    public const string Autotask = "autotask";
    public const string Platform = "platform";

    /// <summary>Path prefix of each simulator's API (admin paths under <c>/admin/</c> are never faulted).</summary>
    private static readonly (string Prefix, string Simulator)[] Prefixes =
    [
        ("/v3/", QuickBooks),
        ("/v4_6_release/", ConnectWise),
        ("/api.xro/", Xero),
        ("/atservicesrest/", Autotask),
        ("/platform/", Platform),
    ];

    private readonly Dictionary<string, SimulatorFaults> _simulators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<SandboxScriptedAnswerState>> _scripted = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _scriptGate = new();

    public SandboxFaultInjector(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (_, simulator) in Prefixes)
        {
            var section = configuration.GetSection($"{SectionName}:{simulator}");
            var profile = new SandboxFaultProfile
            {
                LatencyMs = section.GetValue(nameof(SandboxFaultProfile.LatencyMs), 0),
                ErrorRate = section.GetValue(nameof(SandboxFaultProfile.ErrorRate), 0d),
                TimeoutAfterCommitRate = section.GetValue(nameof(SandboxFaultProfile.TimeoutAfterCommitRate), 0d),
                ThrottleBurstRate = section.GetValue(nameof(SandboxFaultProfile.ThrottleBurstRate), 0d),
                ThrottleBurstLength = section.GetValue(nameof(SandboxFaultProfile.ThrottleBurstLength), 1),
                Seed = section.GetValue(nameof(SandboxFaultProfile.Seed), 1),
            };
            if (profile.Validate() is { } problem)
            {
                throw new InvalidOperationException($"{SectionName}:{simulator}: {problem}");
            }

            _simulators[simulator] = new SimulatorFaults(simulator, profile);
            _scripted[simulator] = [];
        }
    }

    /// <summary>Names of the simulators faults can be injected into.</summary>
    public IReadOnlyList<string> Simulators => [.. Prefixes.Select(p => p.Simulator)];

    /// <summary>The simulator a request path belongs to, or null (admin and other paths are never faulted).</summary>
    public static string? SimulatorOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.StartsWith("/admin/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var (prefix, simulator) in Prefixes)
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return simulator;
            }
        }

        return null;
    }

    /// <summary>The simulator's profile and counts; null for an unknown simulator.</summary>
    public SandboxFaultState? Get(string simulator) => _simulators.TryGetValue(simulator, out var faults) ? faults.State() : null;

    /// <summary>Replaces the profile (restarting its random source from the seed and its counts); false for an unknown simulator.</summary>
    public bool Set(string simulator, SandboxFaultProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(profile));
        }

        if (!_simulators.TryGetValue(simulator, out var faults))
        {
            return false;
        }

        faults.Set(profile);
        return true;
    }

    /// <summary>No more faults for the simulator (the counts restart).</summary>
    public bool Clear(string simulator) => Set(simulator, new SandboxFaultProfile());

    internal SandboxFaultDecision Decide(string simulator) => _simulators[simulator].Decide();

    /// <summary>Queues an answer (see <see cref="SandboxScriptedAnswer"/>); false for an unknown simulator.</summary>
    public bool Script(string simulator, SandboxScriptedAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(answer));
        }

        lock (_scriptGate)
        {
            if (!_scripted.TryGetValue(simulator, out var queue))
            {
                return false;
            }

            queue.Add(new SandboxScriptedAnswerState(answer, answer.Times));
            return true;
        }
    }

    /// <summary>The answers still queued for the simulator, in order; null for an unknown simulator.</summary>
    public IReadOnlyList<SandboxScriptedAnswerState>? Scripted(string simulator)
    {
        lock (_scriptGate)
        {
            return _scripted.TryGetValue(simulator, out var queue) ? [.. queue] : null;
        }
    }

    /// <summary>Drops every queued answer of the simulator; false for an unknown simulator.</summary>
    public bool ClearScripted(string simulator)
    {
        lock (_scriptGate)
        {
            if (!_scripted.TryGetValue(simulator, out var queue))
            {
                return false;
            }

            queue.Clear();
            return true;
        }
    }

    /// <summary>The first queued answer for the request (<c>"METHOD /path?decoded query"</c>), counted as given; or null.</summary>
    internal SandboxScriptedAnswer? TakeScripted(string simulator, string request)
    {
        lock (_scriptGate)
        {
            var queue = _scripted[simulator];
            var index = queue.FindIndex(s => s.Answer.Matches(request));
            if (index < 0)
            {
                return null;
            }

            var taken = queue[index];
            if (taken.Left <= 1)
            {
                queue.RemoveAt(index);
            }
            else
            {
                queue[index] = taken with { Left = taken.Left - 1 };
            }

            return taken.Answer;
        }
    }
}
