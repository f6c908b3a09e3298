using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReconMesh.IntegrationTests.Wire;

/// <summary>
/// docs/contracts.md read as a connector team reads it: per message its URN, exchange, field table and example; per
/// supporting type its field table or, for an enum, the JSON values it may take. The wire tests check what the bus
/// sends against this, not against the .NET types, so the page a connector team codes from is what is tested.
/// (tests/ReconMesh.DeployTests checks that the page is what tools/ReconMesh.ContractsDoc generates.)
/// </summary>
public sealed partial class DocumentedContracts
{
    public const string RelativePath = "docs/contracts.md";

    private DocumentedContracts(Dictionary<string, DocumentedMessage> messages, Dictionary<string, IReadOnlyList<DocumentedField>> records,
        Dictionary<string, IReadOnlyList<string>> enums)
    {
        Messages = messages;
        Records = records;
        Enums = enums;
    }

    /// <summary>By message name (the "### Name" heading).</summary>
    public IReadOnlyDictionary<string, DocumentedMessage> Messages { get; }

    /// <summary>The field tables of the types messages nest ("#### Name", or a message's own "### Name"), by name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DocumentedField>> Records { get; }

    /// <summary>The documented JSON values of each enum ("#### Name"), by name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Enums { get; }

    public static DocumentedContracts Load()
    {
        var path = Path.Combine(RepositoryRoot(), RelativePath);
        return Parse(File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    public static DocumentedContracts Parse(string markdown)
    {
        var messages = new Dictionary<string, DocumentedMessage>(StringComparer.Ordinal);
        var records = new Dictionary<string, IReadOnlyList<DocumentedField>>(StringComparer.Ordinal);
        var enums = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (level, name, body) in Sections(markdown))
        {
            var fields = FieldRow().Matches(body)
                .Select(m => new DocumentedField(m.Groups["name"].Value, m.Groups["json"].Value.Trim(), m.Groups["required"].Value == "nullable"))
                .ToList();
            if (level == 3 && UrnRow().Match(body) is { Success: true } urn)
            {
                var exchange = ExchangeRow().Match(body);
                var example = ExampleBlock().Match(body);
                var envelope = EnvelopeBlock().Match(body);
                if (!exchange.Success || !example.Success || !envelope.Success)
                {
                    throw new FormatException($"{RelativePath}: message {name} lacks its exchange row, its example or its envelope.");
                }

                messages[name] = new DocumentedMessage(name, urn.Groups[1].Value, exchange.Groups[1].Value, fields,
                    JsonNode.Parse(example.Groups[1].Value)!.AsObject(), JsonNode.Parse(envelope.Groups[1].Value)!.AsObject());
                // A message may also be what another message nests (InvoiceSynced in InvoicesSynced): its table serves both.
                records.TryAdd(name, fields);
            }
            else if (level == 4 && fields.Count > 0)
            {
                records[name] = fields;
            }
            else if (level == 4 && EnumValueRow().Matches(body) is { Count: > 0 } values)
            {
                enums[name] = [.. values.Select(v => v.Groups[1].Value)];
            }
        }

        return new DocumentedContracts(messages, records, enums);
    }

    /// <summary>"### X" and "#### X" sections with the text up to the next heading of any level.</summary>
    private static IEnumerable<(int Level, string Name, string Body)> Sections(string markdown)
    {
        var headings = Heading().Matches(markdown);
        for (var i = 0; i < headings.Count; i++)
        {
            var start = headings[i].Index + headings[i].Length;
            var end = i + 1 < headings.Count ? headings[i + 1].Index : markdown.Length;
            yield return (headings[i].Groups["hashes"].Length, headings[i].Groups["name"].Value.Trim(), markdown[start..end]);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReconMesh.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ReconMesh.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^(?<hashes>#{2,4}) (?<name>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\| URN \| `([^`]+)` \|$", RegexOptions.Multiline)]
    private static partial Regex UrnRow();

    [GeneratedRegex(@"^\| exchange \| `([^`]+)` ", RegexOptions.Multiline)]
    private static partial Regex ExchangeRow();

    [GeneratedRegex(@"^Example \(`message`\):\n\n```json\n(.*?)\n```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    [GeneratedRegex(@"^On the wire \(.*?:\n\n```json\n(.*?)\n```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex EnvelopeBlock();

    // | `field` | JSON type | `.NET type` | required or nullable | description |
    [GeneratedRegex(@"^\| `(?<name>[^`]+)` \| (?<json>[^|]+) \| `[^`]+` \| (?<required>required|nullable) \|", RegexOptions.Multiline)]
    private static partial Regex FieldRow();

    // | `"Member"` | description |
    [GeneratedRegex(@"^\| `""([^""`]+)""` \|", RegexOptions.Multiline)]
    private static partial Regex EnumValueRow();
}

/// <summary>A message's section: where it travels, its fields, the example of its <c>message</c> property and of the whole envelope.</summary>
public sealed record DocumentedMessage(string Name, string Urn, string Exchange, IReadOnlyList<DocumentedField> Fields, JsonObject Example,
    JsonObject Envelope);

/// <summary>A row of a field table: the camelCase name, the "JSON type" column as written, and whether null is allowed.</summary>
public sealed partial record DocumentedField(string Name, string JsonType, bool Nullable)
{
    /// <summary>For "array of X": X; otherwise null.</summary>
    public string? ElementType => JsonType.StartsWith("array of ", StringComparison.Ordinal) ? JsonType["array of ".Length..] : null;

    /// <summary>The documented type a JSON type links to, e.g. "PaymentWritebackStatus" in "string ([PaymentWritebackStatus](#...))".</summary>
    public static string? LinkedType(string jsonType) => Link().Match(jsonType) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"\(\[([A-Za-z0-9]+)\]\(#[a-z0-9]+\)\)")]
    private static partial Regex Link();
}
