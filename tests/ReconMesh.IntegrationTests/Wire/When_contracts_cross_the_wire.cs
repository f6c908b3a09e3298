using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using ReconMesh.ContractsDoc;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.IntegrationTests.Wire;

/// <summary>
/// The wire is the contract: every message of ReconMesh.Contracts goes through the bus exactly as the services
/// configure it (<see cref="MessagingExtensions.AddMessaging"/>) on a real RabbitMQ, and is taken off with a bare AMQP
/// client the way docs/contracts.md tells a connector team to, from a queue of its own bound to the documented
/// exchange. The raw body must have the documented envelope, and its <c>message</c> the documented fields and types and
/// the documented example, value for value. The other way round, the documented envelope published by a bare client is
/// read by the bus as the same message, and so is what publishers before contracts 1.1.1 sent (enums as numbers,
/// amounts as strings).
/// </summary>
[TestFixture]
public sealed class When_contracts_cross_the_wire
{
    private const string EnvelopeContentType = "application/vnd.masstransit+json";
    private static readonly TimeSpan Patience = Eventually.DefaultTimeout;

    // How the test writes a received message to compare it with the sample it was built from (not the wire's options).
    private static readonly JsonSerializerOptions Comparable = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private TestServers _servers = null!;
    private WebApplication _host = null!;
    private IConnection _connection = null!;
    private DocumentedContracts _docs = null!;

    public static IEnumerable<TestCaseData> Messages() =>
        typeof(ReconMesh.Contracts.IntegrationKind).Assembly.GetExportedTypes()
            .Where(t => t.GetCustomAttribute<MessageUrnAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => new TestCaseData(t).SetArgDisplayNames(t.Name));

    /// <summary>The messages that have a field older publishers wrote differently: an enum or an amount.</summary>
    public static IEnumerable<TestCaseData> MessagesOlderPublishersWroteDifferently() =>
        Messages().Where(c => HasEnumOrDecimal((Type)c.Arguments[0]!, []));

    [OneTimeSetUp]
    public async Task Start()
    {
        _docs = DocumentedContracts.Load();
        _servers = await TestServers.StartAsync();
        // A host with nothing but the services' messaging: the bus whose serializer is under test.
        _host = await InProcessHost.StartAsync(b => b.AddMessaging(_ => { }), a => a,
            new Dictionary<string, string?> { ["ReconMesh:RabbitMq"] = _servers.RabbitMqUrl });
        _connection = await new ConnectionFactory { Uri = new Uri(_servers.RabbitMqUrl) }.CreateConnectionAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_connection is not null)
        {
            await _connection.CloseAsync();
            _connection.Dispose();
        }

        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }

        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }

    [TestCaseSource(nameof(Messages))]
    public async Task Should_publish_the_documented_envelope_and_message(Type messageType)
    {
        var documented = Documented(messageType);
        await using var channel = await _connection.CreateChannelAsync();

        // As docs/contracts.md tells a connector team: the exchange with exactly the documented arguments (a mismatch
        // with what the bus declares is refused by RabbitMQ), a queue of its own bound with an empty routing key.
        await channel.ExchangeDeclareAsync(documented.Exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, documented.Exchange, "");
        var received = new TaskCompletionSource<(IReadOnlyBasicProperties Properties, byte[] Body)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            received.TrySetResult((delivery.BasicProperties, delivery.Body.ToArray()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        // The sample the document's example was generated from, so the wire must match the example value for value.
        await Bus.Publish(Samples.Build(messageType), messageType);
        var (properties, body) = await received.Task.WaitAsync(Patience);

        var raw = Encoding.UTF8.GetString(body);
        TestContext.Out.WriteLine(raw);
        Assert.That(properties.ContentType, Is.EqualTo(EnvelopeContentType));
        var envelope = JsonNode.Parse(raw)!.AsObject();
        Assert.Multiple(() =>
        {
            foreach (var (name, _) in documented.Envelope)
            {
                Assert.That(envelope.ContainsKey(name), Is.True, $"the documented envelope property '{name}' is on the wire");
            }

            Assert.That(envelope["messageType"]!.AsArray().Select(t => t!.GetValue<string>()), Does.Contain(documented.Urn));
            Assert.That(envelope["message"], Is.InstanceOf<JsonObject>());
        });

        var message = envelope["message"]!.AsObject();
        var problems = DocumentedShape.Problems(message, documented.Fields, _docs, "message");
        Assert.That(problems, Is.Empty, $"{messageType.Name} on the wire differs from the field table in {DocumentedContracts.RelativePath}:\n{raw}");
        var differences = DocumentedShape.Differences(documented.Example, message, "message");
        Assert.That(differences, Is.Empty, $"{messageType.Name} on the wire differs from the example in {DocumentedContracts.RelativePath}:\n{raw}");
    }

    [TestCaseSource(nameof(Messages))]
    public async Task Should_read_the_documented_envelope_from_a_bare_client(Type messageType)
    {
        var documented = Documented(messageType);
        var read = await PublishRawAndReadAsync(messageType, documented, documented.Envelope.DeepClone().AsObject());
        Assert.That(JsonSerializer.Serialize(read, messageType, Comparable),
            Is.EqualTo(JsonSerializer.Serialize(Samples.Build(messageType), messageType, Comparable)),
            $"the bus reads the documented example of {messageType.Name} as the message it was made from");
    }

    [TestCaseSource(nameof(MessagesOlderPublishersWroteDifferently))]
    public async Task Should_still_read_what_older_publishers_sent(Type messageType)
    {
        // Until contracts 1.1.1 the bus wrote enums as their numbers and amounts as strings; such messages may still be
        // queued, or come from a service not yet upgraded when this one is.
        var documented = Documented(messageType);
        var envelope = documented.Envelope.DeepClone().AsObject();
        var rewritten = AsOlderPublishersWroteIt(envelope["message"]!.AsObject(), documented.Fields);
        Assert.That(rewritten, Is.GreaterThan(0), "the example has an enum or an amount to write the old way");

        var read = await PublishRawAndReadAsync(messageType, documented, envelope);
        Assert.That(JsonSerializer.Serialize(read, messageType, Comparable),
            Is.EqualTo(JsonSerializer.Serialize(Samples.Build(messageType), messageType, Comparable)),
            $"the bus reads {messageType.Name} with enums as numbers and amounts as strings as the same message");
    }

    private IBus Bus => _host.Services.GetRequiredService<IBus>();

    private DocumentedMessage Documented(Type messageType)
    {
        Assert.That(_docs.Messages.TryGetValue(messageType.Name, out var documented), Is.True,
            $"{messageType.Name} has a section in {DocumentedContracts.RelativePath}");
        var urn = messageType.GetCustomAttribute<MessageUrnAttribute>()!.Urn.ToString();
        var exchange = messageType.GetCustomAttribute<EntityNameAttribute>()?.EntityName;
        Assert.That(documented!.Urn, Is.EqualTo(urn), "the documented URN is the message's [MessageUrn]");
        Assert.That(documented.Exchange, Is.EqualTo(exchange), "the documented exchange is the message's [EntityName]");
        return documented;
    }

    /// <summary>
    /// Publishes <paramref name="envelope"/> with a bare AMQP client as the document describes (documented exchange, empty
    /// routing key, MassTransit's content type, persistent, confirmed) and returns the message a bus consumer got from it.
    /// </summary>
    private async Task<object> PublishRawAndReadAsync(Type messageType, DocumentedMessage documented, JsonObject envelope)
    {
        envelope["messageId"] = Guid.NewGuid().ToString();
        var consumed = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connect = typeof(When_contracts_cross_the_wire).GetMethod(nameof(ConnectCaptureAsync), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(messageType);
        var handle = await (Task<HostReceiveEndpointHandle>)connect.Invoke(null, [Bus, consumed])!;
        try
        {
            await using var channel = await _connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            var properties = new BasicProperties
            {
                ContentType = EnvelopeContentType,
                DeliveryMode = DeliveryModes.Persistent,
                MessageId = envelope["messageId"]!.GetValue<string>(),
            };
            await channel.BasicPublishAsync(documented.Exchange, "", mandatory: true, properties,
                Encoding.UTF8.GetBytes(envelope.ToJsonString()));
            return await consumed.Task.WaitAsync(Patience);
        }
        finally
        {
            await handle.StopAsync();
        }
    }

    /// <summary>
    /// A temporary endpoint on the bus, subscribed to <typeparamref name="T"/> (so bound to its exchange), observed so
    /// that a message the bus cannot read fails the test with the bus's reason at once instead of a timeout.
    /// </summary>
    private static async Task<HostReceiveEndpointHandle> ConnectCaptureAsync<T>(IBus bus, TaskCompletionSource<object> consumed)
        where T : class
    {
        var handle = bus.ConnectReceiveEndpoint(e => e.Handler<T>(context =>
        {
            consumed.TrySetResult(context.Message);
            return Task.CompletedTask;
        }));
        handle.ReceiveEndpoint.ConnectReceiveObserver(new FailOnFault(typeof(T), consumed));
        await handle.Ready;
        return handle;
    }

    private sealed class FailOnFault(Type messageType, TaskCompletionSource<object> consumed) : IReceiveObserver
    {
        public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
            where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
            where T : class => Fail(exception);

        public Task ReceiveFault(ReceiveContext context, Exception exception) => Fail(exception);

        private Task Fail(Exception exception)
        {
            consumed.TrySetException(new AssertionException($"The bus could not consume {messageType.Name}: {exception.GetBaseException().Message}"));
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Rewrites <paramref name="message"/> as the bus wrote it before 1.1.1: each documented enum value as the member's
    /// number, each number field as a string of its digits. Returns how many values it rewrote.
    /// </summary>
    private int AsOlderPublishersWroteIt(JsonObject message, IReadOnlyList<DocumentedField> fields)
    {
        var rewritten = 0;
        foreach (var field in fields)
        {
            if (message[field.Name] is not { } node)
            {
                continue;
            }

            var type = field.ElementType ?? field.JsonType;
            var linked = DocumentedField.LinkedType(type);
            var items = node is JsonArray array ? [.. array] : new List<JsonNode?> { node };
            foreach (var item in items)
            {
                if (type == "number" && item is JsonValue amount)
                {
                    item.ReplaceWith(JsonValue.Create(amount.ToJsonString()));
                    rewritten++;
                }
                else if (linked is not null && _docs.Enums.ContainsKey(linked) && item is JsonValue member)
                {
                    var number = Convert.ToInt64(Enum.Parse(EnumType(linked), member.GetValue<string>()), CultureInfo.InvariantCulture);
                    item.ReplaceWith(JsonValue.Create(number));
                    rewritten++;
                }
                else if (linked is not null && _docs.Records.TryGetValue(linked, out var nested) && item is JsonObject obj)
                {
                    rewritten += AsOlderPublishersWroteIt(obj, nested);
                }
            }
        }

        return rewritten;
    }

    private static Type EnumType(string name) =>
        typeof(ReconMesh.Contracts.IntegrationKind).Assembly.GetExportedTypes().Single(t => t.IsEnum && t.Name == name);

    private static bool HasEnumOrDecimal(Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type))
        {
            return false;
        }

        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p =>
        {
            var t = p.PropertyType;
            t = t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? t.GetGenericArguments()[0] : t;
            t = Nullable.GetUnderlyingType(t) ?? t;
            return t.IsEnum || t == typeof(decimal)
                || (t.Namespace?.StartsWith("ReconMesh.Contracts", StringComparison.Ordinal) == true && HasEnumOrDecimal(t, seen));
        });
    }
}
