using System.Globalization;
using System.Text.Json;

namespace ReconMesh.IntegrationTests.Corpus;

/// <summary>
/// The bad-input corpus: JSON files under <c>tests/corpus/</c> (see its README.md), one array of cases per door. A case
/// is data (what to send, and the answer it must get), so adding a hostile input is adding an entry, not code.
/// </summary>
public static class CorpusCases
{
    public static IEnumerable<TestCaseData> From(string file)
    {
        var path = Path.Combine(Directory(), file);
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var name = entry.GetProperty("name").GetString()!;
            yield return new TestCaseData(new CorpusCase(name, entry.Clone())).SetName(name);
        }
    }

    /// <summary>Every case of every file, for the count the corpus promises.</summary>
    public static int Count(params string[] files) => files.Sum(f => From(f).Count());

    private static string Directory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "corpus");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/corpus not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>One hostile input and the answer it must get.</summary>
public sealed record CorpusCase(string Name, JsonElement Data)
{
    public override string ToString() => Name;

    public string? Text(string property) =>
        Data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public bool Has(string property) => Data.TryGetProperty(property, out _);

    public int? Number(string property) => Data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    public JsonElement Expect => Data.GetProperty("expect");

    public string? Expected(string property) =>
        Expect.TryGetProperty(property, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    /// <summary>
    /// The body as text with the placeholders filled in: a string body is sent as it is (it need not be JSON), any other
    /// JSON value is sent as its JSON. <c>"{name}"</c> (quoted) is replaced by a bare value when it is a number.
    /// </summary>
    public string Body(IReadOnlyDictionary<string, string> values, string property = "body")
    {
        var body = Data.GetProperty(property);
        var text = body.ValueKind == JsonValueKind.String ? body.GetString()! : body.GetRawText();
        foreach (var (key, value) in values)
        {
            if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
            {
                text = text.Replace($"\"{{{key}}}\"", value, StringComparison.Ordinal);
            }

            text = text.Replace($"{{{key}}}", value, StringComparison.Ordinal);
        }

        var pad = Number("padTo");
        return pad is { } size && text.Length < size ? text.Replace("{pad}", new string('x', size - text.Length), StringComparison.Ordinal) : text;
    }
}
