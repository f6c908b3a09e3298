using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ReconMesh.ContractsDoc;

/// <summary>The XML documentation file the compiler writes next to an assembly, read as Markdown text.</summary>
public sealed partial class XmlDocs
{
    private readonly Dictionary<string, XElement> _members;

    private XmlDocs(Dictionary<string, XElement> members) => _members = members;

    public static XmlDocs Load(string path)
    {
        var document = XDocument.Load(path);
        var members = document.Descendants("member")
            .Where(m => m.Attribute("name") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, StringComparer.Ordinal);
        return new XmlDocs(members);
    }

    /// <summary>The summary of a type, or empty.</summary>
    public string Summary(Type type) => Text(Member(type)?.Element("summary"));

    /// <summary>The documentation of a record's positional parameter (or of a property), or empty.</summary>
    public string Parameter(Type type, string name)
    {
        var param = Member(type)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == name);
        if (param is not null)
        {
            return Text(param);
        }

        return _members.TryGetValue($"P:{type.FullName}.{name}", out var property) ? Text(property.Element("summary")) : "";
    }

    /// <summary>The summary of an enum member, or empty.</summary>
    public string EnumMember(Type type, string name) =>
        _members.TryGetValue($"F:{type.FullName}.{name}", out var field) ? Text(field.Element("summary")) : "";

    private XElement? Member(Type type) => _members.GetValueOrDefault("T:" + type.FullName);

    private static string Text(XElement? element)
    {
        if (element is null)
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    var reference = (string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? see.Value;
                    text.Append('`').Append(ShortName(reference)).Append('`');
                    break;
                case XElement { Name.LocalName: "c" or "paramref" or "typeparamref" } code:
                    text.Append('`').Append((string?)code.Attribute("name") ?? code.Value).Append('`');
                    break;
                case XElement other:
                    text.Append(Text(other));
                    break;
            }
        }

        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    /// <summary>"P:ReconMesh.Contracts.Invoices.InvoiceSynced.InvoiceId" -> "InvoiceSynced.InvoiceId"; a type -> its name.</summary>
    private static string ShortName(string cref)
    {
        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var parts = name.Split('.');
        return cref.StartsWith("T:", StringComparison.Ordinal) || parts.Length < 2 ? parts[^1] : $"{parts[^2]}.{parts[^1]}";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
