namespace ReconMesh.Demo.Chaos;

/// <summary>
/// What breaks when, for a seed. Faults overlap on purpose: each runs at its moment whatever else is still going on,
/// only faults of one target take turns (a service is not killed while it is paused or starting again).
/// </summary>
internal static class ChaosSchedule
{
    public const string Kill = "kill";
    public const string Pause = "pause";
    public const string KillRabbitMqNode = "kill-rabbitmq-node";
    public const string RestartRabbitMq = "restart-rabbitmq";
    public const string RestartPostgres = "restart-postgres";

    /// <summary>The RabbitMQ cluster's nodes (deploy/local/chaos-servers.sh starts three).</summary>
    public const int RabbitMqNodes = 3;

    /// <summary>
    /// A planned fault: at <paramref name="At"/> after the start, <paramref name="Action"/> on <paramref name="Target"/>
    /// (a service, <c>rabbitmq</c>, <c>rabbitmq-N</c> or <c>postgresql</c>), away for <paramref name="Down"/>.
    /// </summary>
    public sealed record Step(TimeSpan At, string Action, string Target, TimeSpan Down);

    /// <summary>
    /// The schedule over <paramref name="window"/>: <c>killsEach</c> SIGKILLs of every service process (each replica) at uniformly random moments
    /// (each down 0.2-2 s); a RabbitMQ node SIGKILLed in the first third (down 2-6 s); PostgreSQL away for
    /// <c>postgresOutage</c> from the second third, with another RabbitMQ node SIGKILLed 10-30 s into that outage and a
    /// service paused (SIGSTOP) for <c>pause</c> from 40 s into it, so that it is still paused when the database
    /// returns; the whole RabbitMQ cluster restarted near the end (down 2-6 s). Service kills fall where they fall, during
    /// the other faults too.
    /// </summary>
    public static IReadOnlyList<Step> Plan(Random random, IReadOnlyList<string> services, int killsEach, TimeSpan window,
        TimeSpan postgresOutage, TimeSpan pause)
    {
        TimeSpan Between(double from, double to) => window * (from + (to - from) * random.NextDouble());
        TimeSpan Seconds(int from, int to) => TimeSpan.FromSeconds(random.Next(from, to + 1));
        var steps = new List<Step>();
        foreach (var service in services)
        {
            for (var i = 0; i < killsEach; i++)
            {
                steps.Add(new Step(Between(0.02, 1.0), Kill, service, TimeSpan.FromMilliseconds(random.Next(200, 2000))));
            }
        }

        var firstNode = random.Next(1, RabbitMqNodes + 1);
        var secondNode = firstNode % RabbitMqNodes + 1;
        steps.Add(new Step(Between(0.1, 0.3), KillRabbitMqNode, $"rabbitmq-{firstNode}", Seconds(2, 6)));
        var outage = Between(0.35, 0.45);
        steps.Add(new Step(outage, RestartPostgres, "postgresql", postgresOutage));
        steps.Add(new Step(outage + Seconds(10, 30), KillRabbitMqNode, $"rabbitmq-{secondNode}", Seconds(2, 6)));
        steps.Add(new Step(outage + TimeSpan.FromSeconds(40), Pause, services[random.Next(services.Count)], pause));
        steps.Add(new Step(Between(0.85, 0.95), RestartRabbitMq, "rabbitmq", Seconds(2, 6)));
        return [.. steps.OrderBy(s => s.At)];
    }

    /// <summary>The target whose faults take turns: every RabbitMQ fault is on the one cluster.</summary>
    public static string Lane(Step step) => step.Target.StartsWith("rabbitmq", StringComparison.Ordinal) ? "rabbitmq" : step.Target;
}
