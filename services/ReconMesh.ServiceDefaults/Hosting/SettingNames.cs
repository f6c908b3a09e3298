namespace ReconMesh.ServiceDefaults.Hosting;

/// <summary>Names of the settings every ReconMesh process shares.</summary>
public static class SettingNames
{
    /// <summary>Npgsql connection string of the PostgreSQL database that holds the event store.</summary>
    public const string Postgres = "ReconMesh:Postgres";

    /// <summary>AMQP URI of the RabbitMQ broker, e.g. amqp://user:password@host:5672/vhost.</summary>
    public const string RabbitMq = "ReconMesh:RabbitMq";

    /// <summary>"true" to declare quorum queues (production clusters); classic durable queues otherwise.</summary>
    public const string QuorumQueues = "ReconMesh:QuorumQueues";
}
