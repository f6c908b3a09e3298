using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.ServiceDefaults.Messaging;

/// <summary>
/// How a process reaches RabbitMQ, read once from its settings: the AMQP URI (credentials, virtual host, a first node),
/// every node of the cluster (<c>ReconMesh:RabbitMqNodes</c>, so that a client whose node dies connects to another), and
/// whether endpoint queues are quorum queues (<c>ReconMesh:QuorumQueues</c>, on by default: production runs a cluster).
/// </summary>
public sealed record BrokerSettings(Uri Uri, IReadOnlyList<AmqpTcpEndpoint> Nodes, bool QuorumQueues)
{
    /// <summary>The broker's settings, or null with the reason in <paramref name="problem"/>.</summary>
    public static BrokerSettings? TryRead(IConfiguration configuration, out string problem)
    {
        problem = "";
        var url = configuration[SettingNames.RabbitMq];
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq"))
        {
            problem = $"'{SettingNames.RabbitMq}' is not an amqp:// or amqps:// URI.";
            return null;
        }

        var quorum = configuration[SettingNames.QuorumQueues];
        if (!string.IsNullOrWhiteSpace(quorum) && !bool.TryParse(quorum, out _))
        {
            problem = $"'{SettingNames.QuorumQueues}' is '{quorum}': it is true (quorum queues, the default) or false (classic queues).";
            return null;
        }

        var amqpUri = new UriBuilder(uri) { Scheme = uri.Scheme == "rabbitmq" ? "amqp" : uri.Scheme }.Uri;
        var nodes = new List<AmqpTcpEndpoint>();
        foreach (var node in (configuration[SettingNames.RabbitMqNodes] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = node.Split(':');
            if (parts.Length > 2 || parts[0].Length == 0 || Uri.CheckHostName(parts[0]) == UriHostNameType.Unknown
                || (parts.Length == 2 && (!int.TryParse(parts[1], out var port) || port is < 1 or > 65535)))
            {
                problem = $"'{SettingNames.RabbitMqNodes}' names '{node}': each node is host or host:port, separated by commas.";
                return null;
            }

            var nodePort = parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : amqpUri.Port;
            nodes.Add(new AmqpTcpEndpoint(parts[0], nodePort, new SslOption(parts[0], enabled: amqpUri.Scheme == "amqps")));
        }

        if (nodes.Count == 0)
        {
            nodes.Add(new AmqpTcpEndpoint(amqpUri));
        }

        return new BrokerSettings(amqpUri, nodes, quorum is null || quorum.Length == 0 || bool.Parse(quorum));
    }

    /// <summary>The broker's settings; a process started with bad ones stops at once (exit 2) and says which.</summary>
    public static BrokerSettings Read(IConfiguration configuration)
    {
        RequiredSettings.Get(configuration, SettingNames.RabbitMq, "Set it to the broker's AMQP URI, e.g. amqp://user:password@127.0.0.1:5672/");
        var settings = TryRead(configuration, out var problem);
        if (settings is null)
        {
            RequiredSettings.Fail(problem);
        }

        return settings!;
    }

    /// <summary>A RabbitMQ.Client connection to whichever node answers first, in the order the settings list them.</summary>
    public Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken) =>
        new ConnectionFactory { Uri = Uri, ClientProvidedName = clientName }.CreateConnectionAsync(Nodes, cancellationToken);

    /// <summary>The nodes as MassTransit's cluster configuration takes them (<c>host:port</c>).</summary>
    public IEnumerable<string> NodeAddresses => Nodes.Select(n => n.Port > 0 ? $"{n.HostName}:{n.Port}" : n.HostName);
}
