using System.Text.Json;
using System.Text.Json.Serialization;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.Sandbox.Platform;

/// <summary>
/// The platform's third way of reporting events, as a platform that is not .NET does it: the webhook's envelope
/// <c>{"type","id","data"}</c> as plain JSON, published with a bare AMQP client (no MassTransit envelope) to the fanout
/// exchange PaymentEvents binds its <c>payment-events.platform-json</c> queue to (docs/contracts.md). Published
/// persistent, mandatory and with publisher confirms: when this returns, the broker has the event in a queue; when it
/// throws (no node answers, nothing bound, no confirm), the caller reports the payment again, as a real platform would.
/// </summary>
public sealed class PlatformJsonPublisher(IConfiguration configuration) : IAsyncDisposable
{
    /// <summary>PaymentEvents' <c>PlatformJsonConsumer.ExchangeName</c>: the documented exchange a platform publishes to.</summary>
    public const string ExchangeName = "reconmesh.platform.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private IConnection? _connection;

    public async Task PublishAsync(string type, object data, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { type, id = $"evt_{Guid.NewGuid():N}", data }, Json);
        var connection = await ConnectionAsync(cancellationToken);
        try
        {
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            var properties = new BasicProperties
            {
                ContentType = "application/json",
                DeliveryMode = DeliveryModes.Persistent,
                MessageId = Guid.NewGuid().ToString(),
                Headers = new Dictionary<string, object?> { ["type"] = System.Text.Encoding.UTF8.GetBytes(type) },
            };
            await channel.BasicPublishAsync(ExchangeName, "", mandatory: true, properties, body, cancellationToken);
        }
        catch (Exception)
        {
            await ForgetAsync(connection); // the next call connects afresh, to whichever node answers
            throw;
        }
    }

    private async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { IsOpen: true } open)
            {
                return open;
            }

            _connection = await BrokerSettings.Read(configuration).ConnectAsync("sandbox-platform-json", cancellationToken);
            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task ForgetAsync(IConnection connection)
    {
        await _connecting.WaitAsync();
        try
        {
            if (ReferenceEquals(_connection, connection))
            {
                _connection = null;
            }
        }
        finally
        {
            _connecting.Release();
        }

        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationInterruptedException or ObjectDisposedException)
        {
            // already gone with its node
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }

        _connecting.Dispose();
    }
}
