using System.Text;

namespace ReconMesh.ContractsDoc;

/// <summary>Markdown with "\n" line ends on every platform, so the checked-in file compares byte for byte.</summary>
internal sealed class Markdown
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
