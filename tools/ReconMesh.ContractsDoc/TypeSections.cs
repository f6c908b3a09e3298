using System.Text.Json;

namespace ReconMesh.ContractsDoc;

/// <summary>
/// The document's section for one contract type: a message (URN, exchange, fields, an example and its envelope), a
/// record the messages use (its fields), or an enum (its JSON values).
/// </summary>
internal static class TypeSections
{
    public static void WriteMessage(Markdown md, Type type, XmlDocs docs)
    {
        WriteHeading(md, "###", type, docs.Summary(type));
        md.Line("| | |");
        md.Line("|---|---|");
        md.Line($"| URN | `{ContractTypes.Urn(type)}` |");
        md.Line($"| exchange | `{ContractTypes.Exchange(type)}` (fanout, durable) |");
        md.Line($"| .NET type | `{type.FullName}` |");
        md.Line();
        WriteFields(md, type, docs);
        md.Line();
        md.Line("Example (`message`):");
        md.Line();
        md.Code("json", JsonSerializer.Serialize(Samples.Build(type), type, WireExamples.Json));
        md.Line();
        md.Line($"On the wire (exchange `{ContractTypes.Exchange(type)}`, content type `application/vnd.masstransit+json`), the message is under `message`:");
        md.Line();
        md.Code("json", JsonSerializer.Serialize(WireExamples.Envelope(type), WireExamples.Json));
    }

    public static void WriteRecord(Markdown md, Type type, XmlDocs docs)
    {
        WriteHeading(md, "####", type, docs.Summary(type));
        WriteFields(md, type, docs);
    }

    public static void WriteEnum(Markdown md, Type type, XmlDocs docs)
    {
        WriteHeading(md, "####", type, docs.Summary(type) + " Written as the member's name (a JSON string).");
        md.Line("| JSON value | description |");
        md.Line("|---|---|");
        foreach (var name in Enum.GetNames(type))
        {
            md.Line($"| `\"{name}\"` | {Cell(docs.EnumMember(type, name))} |");
        }
    }

    /// <summary>A blank line, the type's heading at <paramref name="level"/>, and its description, each followed by a blank line.</summary>
    private static void WriteHeading(Markdown md, string level, Type type, string description)
    {
        md.Line();
        md.Line($"{level} {type.Name}");
        md.Line();
        md.Line(description);
        md.Line();
    }

    private static void WriteFields(Markdown md, Type type, XmlDocs docs)
    {
        md.Line("| field | JSON type | .NET type | required | description |");
        md.Line("|---|---|---|---|---|");
        foreach (var p in ContractTypes.PrimaryConstructor(type).GetParameters())
        {
            var nullable = ContractTypes.IsNullable(p);
            md.Line($"| `{JsonNamingPolicy.CamelCase.ConvertName(p.Name!)}` | {FieldTypeNames.JsonType(p.ParameterType)} | `{FieldTypeNames.DotNetName(p.ParameterType)}{(nullable && !ContractTypes.IsNullableValue(p.ParameterType) ? "?" : "")}` | {(nullable ? "nullable" : "required")} | {Cell(docs.Parameter(type, p.Name!))} |");
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
