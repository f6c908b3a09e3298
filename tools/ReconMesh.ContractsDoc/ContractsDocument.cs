using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using ReconMesh.Contracts;

namespace ReconMesh.ContractsDoc;

/// <summary>
/// Writes docs/contracts.md from the ReconMesh.Contracts assembly and its XML documentation: every message with its
/// URN, exchange, fields and an example, so connector teams have one page that cannot drift from the code.
/// </summary>
public static class ContractsDocument
{
    /// <summary>How to regenerate the document; quoted by the test that checks it is current.</summary>
    public const string RegenerateCommand = "dotnet run --project tools/ReconMesh.ContractsDoc";

    /// <summary>Where the document lives, relative to the repository root.</summary>
    public static readonly string RelativePath = Path.Combine("docs", "contracts.md");

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>The document for the ReconMesh.Contracts assembly this tool was built with.</summary>
    public static string Generate()
    {
        var assembly = typeof(IntegrationKind).Assembly;
        var xml = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(xml))
        {
            throw new FileNotFoundException("The contracts' XML documentation file was not found next to the assembly.", xml);
        }

        return Generate(assembly, XmlDocs.Load(xml));
    }

    public static string Generate(Assembly assembly, XmlDocs docs)
    {
        var types = assembly.GetExportedTypes()
            .Where(t => t.Namespace is not null && (t.IsEnum || PrimaryConstructorOrNull(t) is not null))
            .OrderBy(t => t.Namespace, StringComparer.Ordinal)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var messages = types.Where(IsMessage).ToList();
        var version = assembly.GetName().Version ?? new Version(0, 0, 0);

        var md = new Doc();
        md.Line("# ReconMesh message contracts");
        md.Line();
        md.Line($"<!-- Generated from the ReconMesh.Contracts assembly and its XML documentation by `{RegenerateCommand}`.");
        md.Line("     Do not edit by hand: tests/ReconMesh.DeployTests fails when this file differs from what the code generates. -->");
        md.Line();
        md.Line($"Package `ReconMesh.Contracts` {version.ToString(3)}. Every message below is published to a durable fanout exchange named by");
        md.Line("its `[EntityName]` and identified on the wire by its `[MessageUrn]`. Delivery is at least once: consumers de-duplicate by");
        md.Line("the ids each message names. JSON is camelCase; enums travel as their names; amounts are exact decimals written as JSON numbers;");
        md.Line("times are ISO 8601 with an offset; dates are `yyyy-MM-dd`.");
        md.Line();
        // MassTransit's default System.Text.Json options cannot read enum names: a .NET team on the package would fault them.
        md.Line("Consuming with MassTransit and this package: its default System.Text.Json options read enums only as numbers, so add");
        md.Line("`cfg.ConfigureJsonSerializerOptions(o => { o.Converters.Add(new JsonStringEnumConverter()); return o; })` to the bus.");
        md.Line();
        md.Line("| message | exchange | URN |");
        md.Line("|---|---|---|");
        foreach (var m in messages)
        {
            md.Line($"| [{m.Name}](#{Anchor(m.Name)}) | `{Exchange(m)}` | `{Urn(m)}` |");
        }

        md.Line();
        WriteWithoutMassTransit(md, messages);

        foreach (var group in types.GroupBy(t => t.Namespace!))
        {
            md.Line();
            md.Line($"## `{group.Key}`");
            foreach (var message in group.Where(IsMessage))
            {
                WriteMessage(md, message, docs);
            }

            var supporting = group.Where(t => !IsMessage(t)).ToList();
            if (supporting.Count > 0)
            {
                md.Line();
                md.Line($"### Types used by the messages ({group.Key})");
                foreach (var type in supporting)
                {
                    if (type.IsEnum)
                    {
                        WriteEnum(md, type, docs);
                    }
                    else
                    {
                        WriteRecord(md, type, docs);
                    }
                }
            }
        }

        return md.ToString();
    }

    private static void WriteWithoutMassTransit(Doc md, List<Type> messages)
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
        md.Line($"`{example.Name}` on exchange `{Exchange(example)}`:");
        md.Line();
        md.Code("json", JsonSerializer.Serialize(Envelope(example), Json));
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
            md.Code("json", JsonSerializer.Serialize(body, Json));
        }
    }

    private static Dictionary<string, object?> Envelope(Type message) => new()
    {
        ["messageId"] = new Guid("0b3f5c8e-3a51-4c1e-9d0f-6a0e2b7c4d21"),
        ["conversationId"] = new Guid("5d9a7e10-8c2b-4f3a-b6e4-1f2d3c4b5a69"),
        ["sourceAddress"] = "rabbitmq://broker.example/the-publisher",
        ["destinationAddress"] = $"rabbitmq://broker.example/{Exchange(message)}",
        ["messageType"] = new[] { Urn(message) },
        ["message"] = Samples.Build(message),
        ["sentTime"] = new DateTimeOffset(2025, 10, 14, 16, 32, 4, TimeSpan.Zero),
        ["headers"] = new Dictionary<string, object>(),
    };

    private static void WriteMessage(Doc md, Type type, XmlDocs docs)
    {
        md.Line();
        md.Line($"### {type.Name}");
        md.Line();
        md.Line(docs.Summary(type));
        md.Line();
        md.Line("| | |");
        md.Line("|---|---|");
        md.Line($"| URN | `{Urn(type)}` |");
        md.Line($"| exchange | `{Exchange(type)}` (fanout, durable) |");
        md.Line($"| .NET type | `{type.FullName}` |");
        md.Line();
        WriteFields(md, type, docs);
        md.Line();
        md.Line("Example (`message`):");
        md.Line();
        md.Code("json", JsonSerializer.Serialize(Samples.Build(type), type, Json));
        md.Line();
        md.Line($"On the wire (exchange `{Exchange(type)}`, content type `application/vnd.masstransit+json`), the message is under `message`:");
        md.Line();
        md.Code("json", JsonSerializer.Serialize(Envelope(type), Json));
    }

    private static void WriteRecord(Doc md, Type type, XmlDocs docs)
    {
        md.Line();
        md.Line($"#### {type.Name}");
        md.Line();
        md.Line(docs.Summary(type));
        md.Line();
        WriteFields(md, type, docs);
    }

    private static void WriteEnum(Doc md, Type type, XmlDocs docs)
    {
        md.Line();
        md.Line($"#### {type.Name}");
        md.Line();
        md.Line(docs.Summary(type) + " Written as the member's name (a JSON string).");
        md.Line();
        md.Line("| JSON value | description |");
        md.Line("|---|---|");
        foreach (var name in Enum.GetNames(type))
        {
            md.Line($"| `\"{name}\"` | {Cell(docs.EnumMember(type, name))} |");
        }
    }

    private static void WriteFields(Doc md, Type type, XmlDocs docs)
    {
        md.Line("| field | JSON type | .NET type | required | description |");
        md.Line("|---|---|---|---|---|");
        foreach (var p in PrimaryConstructor(type).GetParameters())
        {
            var nullable = IsNullable(p);
            md.Line($"| `{JsonNamingPolicy.CamelCase.ConvertName(p.Name!)}` | {JsonType(p.ParameterType)} | `{DotNetName(p.ParameterType)}{(nullable && !IsNullableValue(p.ParameterType) ? "?" : "")}` | {(nullable ? "nullable" : "required")} | {Cell(docs.Parameter(type, p.Name!))} |");
        }
    }

    private static bool IsMessage(Type type) => type.GetCustomAttribute<MessageUrnAttribute>() is not null;

    private static string Urn(Type type) => type.GetCustomAttribute<MessageUrnAttribute>()!.Urn.ToString();

    private static string Exchange(Type type) =>
        type.GetCustomAttribute<EntityNameAttribute>()?.EntityName
        ?? throw new InvalidOperationException($"{type.FullName} has a [MessageUrn] but no [EntityName]: its exchange name would follow the .NET name.");

    internal static ConstructorInfo PrimaryConstructor(Type type) =>
        PrimaryConstructorOrNull(type) ?? throw new InvalidOperationException($"{type.FullName} has no public constructor with parameters.");

    private static ConstructorInfo? PrimaryConstructorOrNull(Type type) =>
        type.IsClass && !type.IsAbstract
            ? type.GetConstructors().Where(c => c.GetParameters().Length > 0).MaxBy(c => c.GetParameters().Length)
            : null;

    internal static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static bool IsNullableValue(Type type) => Nullable.GetUnderlyingType(type) is not null;

    private static bool IsNullable(ParameterInfo p) =>
        IsNullableValue(p.ParameterType) || (!p.ParameterType.IsValueType && Nullability.Create(p).ReadState == NullabilityState.Nullable);

    private static string JsonType(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (ElementType(t) is { } element)
        {
            return "array of " + JsonType(element);
        }

        if (t.IsEnum)
        {
            return $"string ([{t.Name}](#{Anchor(t.Name)}))";
        }

        return t switch
        {
            _ when t == typeof(string) => "string",
            _ when t == typeof(Guid) => "string (uuid)",
            _ when t == typeof(decimal) || t == typeof(double) || t == typeof(float) => "number",
            _ when t == typeof(int) || t == typeof(long) || t == typeof(short) => "integer",
            _ when t == typeof(bool) => "boolean",
            _ when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "string (date-time)",
            _ when t == typeof(DateOnly) => "string (date)",
            _ when t == typeof(TimeSpan) => "string (duration, [d.]hh:mm:ss)",
            _ => $"object ([{t.Name}](#{Anchor(t.Name)}))",
        };
    }

    private static string DotNetName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return DotNetName(underlying) + "?";
        }

        if (type.IsGenericType)
        {
            var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
            return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(DotNetName))}>";
        }

        return type switch
        {
            _ when type == typeof(string) => "string",
            _ when type == typeof(decimal) => "decimal",
            _ when type == typeof(long) => "long",
            _ when type == typeof(int) => "int",
            _ when type == typeof(bool) => "bool",
            _ => type.Name,
        };
    }

    private static string Anchor(string heading) => heading.ToLowerInvariant();

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>Markdown with "\n" line ends on every platform, so the checked-in file compares byte for byte.</summary>
    private sealed class Doc
    {
        private readonly StringBuilder _text = new();

        public void Line(string line = "") => _text.Append(line).Append('\n');

        public void Code(string language, string code)
        {
            Line("```" + language);
            Line(code);
            Line("```");
        }

        public override string ToString() => _text.ToString();
    }
}
