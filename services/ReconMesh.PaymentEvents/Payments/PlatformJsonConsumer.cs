using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Results;
using MassTransit;
using RabbitMQ.Client;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>
/// The platform's events as plain JSON, for producers that are not .NET and do not write MassTransit's envelope: the
/// body is the webhook's envelope <c>{"type":"payment.processed"|"payment.failed"|"payment.refunded"|"payment.charged_back","id":"...","data":{...camelCase...}}</c>,
/// content type <c>application/json</c> (or none), published to the fanout exchange <see cref="ExchangeName"/>, which
/// is bound to the queue <see cref="QueueName"/>. An optional header <c>type</c> must agree with the body's type.
/// Acceptance is <see cref="PaymentIntake"/>'s, as for the bus and the webhook: a duplicate is acknowledged; an invalid
/// event gets an exceptions entry and, like a malformed body, goes to <c>payment-events.platform-json_error</c>.
/// </summary>
public sealed class PlatformJsonConsumer(PaymentIntake intake, PaymentWait wait) : IConsumer<PlatformJsonEvent>
{
    public const string QueueName = "payment-events.platform-json";
    public const string ExchangeName = "reconmesh.platform.json";
    public const string ContentType = "application/json";
    public const string TypeHeader = "type";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public async Task Consume(ConsumeContext<PlatformJsonEvent> context)
    {
        var envelope = context.Message;
        var header = context.Headers.Get<string>(TypeHeader);
        if (!string.IsNullOrEmpty(header) && !string.Equals(header, envelope.Type, StringComparison.Ordinal))
        {
            throw Invalid($"The '{TypeHeader}' header says '{header}' but the body's type is '{envelope.Type}'.");
        }

        if (envelope.Data.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("data must be a JSON object (a PaymentProcessed, PaymentFailed, PaymentRefunded or PaymentChargedBack in camelCase).");
        }

        object message;
        try
        {
            message = PlatformEventTypes.Read(envelope.Type, envelope.Data, Json);
        }
        catch (JsonException ex)
        {
            throw Invalid($"Malformed event: {ex.Message}");
        }

        var sourceId = context.MessageId ?? new Guid(SHA256.HashData(context.ReceiveContext.Body.GetBytes()).AsSpan(0, 16));
        var outcome = await intake.AcceptAnyAsync(message, sourceId, context.CancellationToken, wait.For(context.GetRetryAttempt()));
        if (outcome is PaymentIntake.Outcome.Rejected rejected)
        {
            throw new ValidationException(rejected.Reasons.Select(r => new ValidationFailure("data", r)));
        }
    }

    // Not retried (the bus's retry ignores ValidationException): faulted at once into the error queue.
    private static ValidationException Invalid(string reason) => new([new ValidationFailure("", reason)]);
}

/// <summary>The plain-JSON body: the platform webhook's envelope.</summary>
/// <param name="Type"><c>payment.processed</c> or <c>payment.failed</c>.</param>
/// <param name="Id">The platform's id of the event (informational).</param>
/// <param name="Data">The PaymentProcessed or PaymentFailed, camelCase, enums as names.</param>
public sealed record PlatformJsonEvent(string? Type, string? Id, JsonElement Data);

/// <summary>
/// The raw-JSON endpoint: no MassTransit consume topology (no exchange per .NET type), the raw JSON deserializer for
/// any message type (also when the content type is missing), and an explicit binding to the documented exchange.
/// </summary>
public sealed class PlatformJsonConsumerDefinition : ConsumerDefinition<PlatformJsonConsumer>
{
    public PlatformJsonConsumerDefinition()
    {
        EndpointName = PlatformJsonConsumer.QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PlatformJsonConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.ConfigureConsumeTopology = false;
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.Bind(PlatformJsonConsumer.ExchangeName, b => b.ExchangeType = ExchangeType.Fanout);
        }

        context.GetRequiredService<PaymentWait>().Apply(endpointConfigurator);
    }
}
