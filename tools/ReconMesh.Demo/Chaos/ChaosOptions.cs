using System.Globalization;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// The chaos run's settings: <c>--seed</c> (what every random choice derives from), <c>--payments</c> (3,000: a tenth to
/// the tenant at QuickBooks' real limits, the rest evenly to the QuickBooks, the ConnectWise, the paired, the Xero and the Autotask tenant), <c>--sandbox</c> (the running sandbox), <c>--port</c> (the first
/// of the services' ports: five per replica, three APIs then two webhook listeners, and one for the webhooks' load balancer), <c>--root</c> (the checkout, for the built services and the servers script),
/// <c>--replicas</c> (processes of each service, 2), <c>--kills-each</c> (SIGKILLs of each replica, 3), <c>--settle-seconds</c> (the deadline for the mesh to settle after the last fault),
/// <c>--postgres-outage-seconds</c> (how long PostgreSQL stays away, 60) and <c>--pause-seconds</c> (how long a service
/// stays frozen by SIGSTOP, 30).
/// </summary>
internal sealed record ChaosOptions(int Seed, int Payments, Uri Sandbox, int Port, string Root, int Replicas, int KillsEach, TimeSpan SettleTimeout,
    TimeSpan PostgresOutage, TimeSpan Pause)
{
    public const int DefaultSeed = 20260101;

    public string Artifacts => Path.Combine(Root, "artifacts", "chaos");

    public static ChaosOptions Parse(string[] args)
    {
        var values = DemoOptions.Options(args);
        int Int(string key, int fallback) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var options = new ChaosOptions(
            Int("seed", DefaultSeed),
            Int("payments", 3000),
            new Uri(values.GetValueOrDefault("sandbox", "http://127.0.0.1:5180")),
            Int("port", 5181),
            values.GetValueOrDefault("root", Directory.GetCurrentDirectory()),
            Int("replicas", 2),
            Int("kills-each", 3),
            TimeSpan.FromSeconds(Int("settle-seconds", 300)),
            TimeSpan.FromSeconds(Int("postgres-outage-seconds", 60)),
            TimeSpan.FromSeconds(Int("pause-seconds", 30)));
        if (options.Payments < 40)
        {
            throw new ArgumentException("--payments must be at least 40 (a tenth go to the tenant at real limits, the rest to three others).");
        }

        if (options.Replicas < 1)
        {
            throw new ArgumentException("--replicas must be at least 1.");
        }

        return options;
    }
}
