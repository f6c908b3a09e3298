using System.Reflection;
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
            .Where(t => t.Namespace is not null && (t.IsEnum || ContractTypes.PrimaryConstructorOrNull(t) is not null))
            .OrderBy(t => t.Namespace, StringComparer.Ordinal)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var messages = types.Where(ContractTypes.IsMessage).ToList();
        var version = assembly.GetName().Version ?? new Version(0, 0, 0);

        var md = new Markdown();
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
            md.Line($"| [{m.Name}](#{FieldTypeNames.Anchor(m.Name)}) | `{ContractTypes.Exchange(m)}` | `{ContractTypes.Urn(m)}` |");
        }

        md.Line();
        WithoutMassTransitSection.Write(md, messages);

        foreach (var group in types.GroupBy(t => t.Namespace!))
        {
            md.Line();
            md.Line($"## `{group.Key}`");
            foreach (var message in group.Where(ContractTypes.IsMessage))
            {
                TypeSections.WriteMessage(md, message, docs);
            }

            var supporting = group.Where(t => !ContractTypes.IsMessage(t)).ToList();
            if (supporting.Count > 0)
            {
                md.Line();
                md.Line($"### Types used by the messages ({group.Key})");
                foreach (var type in supporting)
                {
                    if (type.IsEnum)
                    {
                        TypeSections.WriteEnum(md, type, docs);
                    }
                    else
                    {
                        TypeSections.WriteRecord(md, type, docs);
                    }
                }
            }
        }

        return md.ToString();
    }
}
