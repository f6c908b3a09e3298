using System.Text;

namespace ReconMesh.IntegrationTests.Readme;

/// <summary>
/// The README's commands a newcomer pastes: the <c>```sh</c> blocks of its section "Try it: `./run up`", in order.
/// Only that section is selected. The README's other sh blocks cannot run as they stand: they configure servers and
/// integrations of the reader's own, with placeholders (<c>&lt;your company id&gt;</c>, <c>rabbit.example</c>), or run
/// <c>./run demo</c> and <c>./run test</c>, which other tests cover.
/// </summary>
public static class ReadmeTryIt
{
    public const string Heading = "## Try it: `./run up`";

    /// <summary>The section's sh blocks; fails the test if the section or its blocks are missing.</summary>
    public static IReadOnlyList<string> Blocks(string markdown)
    {
        var blocks = new List<string>();
        var inSection = false;
        var sectionFound = false;
        string? fence = null; // the info string of the fenced block being read ("sh"), null outside one
        var code = new StringBuilder();
        foreach (var line in markdown.ReplaceLineEndings("\n").Split('\n'))
        {
            if (fence is null && line.StartsWith("```", StringComparison.Ordinal))
            {
                fence = line[3..].Trim();
                code.Clear();
            }
            else if (fence is not null && line.TrimEnd() == "```")
            {
                if (inSection && fence == "sh")
                {
                    blocks.Add(code.ToString());
                }

                fence = null;
            }
            else if (fence is not null)
            {
                code.AppendLine(line); // a "# comment" in a block is not a heading
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal) || line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line.TrimEnd() == Heading; // the section ends at the next heading of its level or above
                sectionFound |= inSection;
            }
        }

        Assert.That(sectionFound, Is.True, $"README.md has no heading \"{Heading}\"");
        Assert.That(blocks, Is.Not.Empty, $"README.md's section \"{Heading}\" has no ```sh block");
        return blocks;
    }
}
