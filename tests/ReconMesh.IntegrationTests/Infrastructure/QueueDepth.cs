using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>How many messages a queue of the test's broker holds now (0 for a queue not declared yet).</summary>
public static class QueueDepth
{
    public static async Task<uint> CountAsync(IConnection connection, string queue)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // A passive declare of a queue that does not exist yet closes the channel: one channel per probe.
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }
}
