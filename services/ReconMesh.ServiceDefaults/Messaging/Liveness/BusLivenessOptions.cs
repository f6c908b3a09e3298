using System.ComponentModel.DataAnnotations;

namespace ReconMesh.ServiceDefaults.Messaging.Liveness;

/// <summary>
/// When a process whose bus does not heal calls itself not live (<c>ReconMesh:Messaging:Liveness</c>): the bus has not
/// been healthy for <see cref="StuckAfter"/> (90 s by default, longer than a RabbitMQ node's restart and the clients'
/// reconnection) while the broker serves a new connection (a channel opens on it). The bus is read every <see cref="SampleEvery"/>.
/// </summary>
public sealed class BusLivenessOptions
{
    public const string Section = "ReconMesh:Messaging:Liveness";

    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromSeconds(90);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan SampleEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the broker is given to accept the connection that tells "stuck" from "the broker is away".</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan BrokerAnswerTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
