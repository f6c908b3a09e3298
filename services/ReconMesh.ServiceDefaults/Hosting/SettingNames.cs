namespace ReconMesh.ServiceDefaults.Hosting;

/// <summary>Names of the settings every ReconMesh process shares.</summary>
public static class SettingNames
{
    /// <summary>Npgsql connection string of the PostgreSQL database that holds the event store.</summary>
    public const string Postgres = "ReconMesh:Postgres";

    /// <summary>AMQP URI of the RabbitMQ broker, e.g. amqp://user:password@host:5672/vhost.</summary>
    public const string RabbitMq = "ReconMesh:RabbitMq";

    /// <summary>
    /// Every node of the RabbitMQ cluster, <c>host:port</c> separated by commas; clients connect to the first that
    /// answers and to another when theirs dies. Optional: without it, the node of <see cref="RabbitMq"/> alone.
    /// </summary>
    public const string RabbitMqNodes = "ReconMesh:RabbitMqNodes";

    /// <summary>"true" (the default) to declare quorum queues, as production's cluster needs; "false" for classic durable queues.</summary>
    public const string QuorumQueues = "ReconMesh:QuorumQueues";
}
