using System.Text.Json;

namespace ReconMesh.ContractsDoc;

/// <summary>
/// The section for teams without MassTransit: the exchanges and how to consume and produce on them with any AMQP client,
/// the MassTransit envelope every <c>reconmesh.*</c> exchange carries, and the plain-JSON exchange for payment platforms.
/// </summary>
internal static class WithoutMassTransitSection
{
    public static void Write(Markdown md, List<Type> messages)
    {
        var example = messages.FirstOrDefault(m => m.Name == "PaymentProcessed") ?? messages[0];
        md.Line("## Consuming and producing without MassTransit");
        md.Line();
        md.Line("Any AMQP 0-9-1 client can take part; MassTransit is not required.");
        md.Line();
        md.Line("- **Exchanges.** Each message type has one exchange, named in the table above: type `fanout`, durable, not auto-delete.");
        md.Line("  If you declare it yourself, use exactly these arguments, or RabbitMQ refuses the declaration (`PRECONDITION_FAILED`).");
        md.Line("- **Consuming.** Declare your own durable queue (a quorum queue on a cluster), bind it to the exchange with an empty");
        md.Line("  routing key, and acknowledge after your own write commits. Expect duplicates and, across different ids, reordering.");
        md.Line("- **Producing.** Publish to the exchange with an empty routing key, `delivery_mode` 2 (persistent), with publisher confirms,");
        md.Line("  and `message_id` set to a stable id of the fact you publish (a retry must carry the same id).");
        md.Line();
        md.Line("### Content type `application/vnd.masstransit+json`: what every `reconmesh.*` exchange carries");
        md.Line();
        md.Line("Everything ReconMesh publishes, on every `reconmesh.*` exchange, is MassTransit's JSON envelope (AMQP `content_type`");
        md.Line("`application/vnd.masstransit+json`). It is plain JSON: read the message from the envelope's `message` property, whose");
        md.Line("fields are the camelCase fields documented below; `messageType` lists the message's URN, and `messageId` is stable");
        md.Line("across redeliveries (de-duplicate by it or by the message's own ids). Each message below shows its envelope. To publish");
        md.Line("to a `reconmesh.*` exchange yourself, write the same envelope with the message's URN in `messageType`. For example,");
        md.Line($"`{example.Name}` on exchange `{ContractTypes.Exchange(example)}`:");
        md.Line();
        md.Code("json", JsonSerializer.Serialize(WireExamples.Envelope(example), WireExamples.Json));
        md.Line();
        md.Line("### Content type `application/json`: plain-JSON platform events");
        md.Line();
        md.Line("A payment platform that cannot write the envelope publishes plain JSON instead, the same body as the signed HTTP");
        md.Line("webhook (`POST /webhooks/platform`): `{\"type\": ..., \"id\": ..., \"data\": {...}}`, where `data` is a");
        md.Line("[PaymentProcessed](#paymentprocessed) (`type` `payment.processed`) or a [PaymentFailed](#paymentfailed) (`type`");
        md.Line("`payment.failed`), camelCase as documented below.");
        md.Line();
        md.Line("| | |");
        md.Line("|---|---|");
        md.Line("| exchange | `reconmesh.platform.json`: `fanout`, durable, not auto-delete (declare it with exactly these arguments, or passively) |");
        md.Line("| routing key | empty (ignored by the fanout exchange) |");
        md.Line("| queue | `payment-events.platform-json` (PaymentEvents consumes it; it declares and binds both at start-up) |");
        md.Line("| AMQP `content_type` | `application/json` (a message without a content type is read as JSON too) |");
        md.Line("| header `type` | optional; `payment.processed` or `payment.failed`; when present it must equal the body's `type` |");
        md.Line("| AMQP `message_id` | optional; a UUID that stays the same when you publish the same event again |");
        md.Line("| `delivery_mode` | 2 (persistent), with publisher confirms |");
        md.Line();
        md.Line("The events are accepted exactly as from the bus or the webhook: a duplicate (same tenant and `paymentId`) is acknowledged");
        md.Line("and changes nothing; an event that fails validation gets an entry in the exceptions queue with its reasons and is moved");
        md.Line("to `payment-events.platform-json_error`, as is a body that is not such an envelope (not JSON, unknown `type`, unknown");
        md.Line("fields). Nothing there is retried: correct it and publish again. For example:");
        md.Line();
        var processed = messages.FirstOrDefault(m => m.Name == "PaymentProcessed");
        if (processed is not null)
        {
            var body = new Dictionary<string, object?>
            {
                ["type"] = "payment.processed",
                ["id"] = "evt_01HZX3K9Q2",
                ["data"] = Samples.Build(processed),
            };
            md.Code("json", JsonSerializer.Serialize(body, WireExamples.Json));
        }
    }
}
