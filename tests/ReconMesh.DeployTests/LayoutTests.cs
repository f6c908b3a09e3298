namespace ReconMesh.DeployTests;

/// <summary>
/// The repository's homes (docs/architecture.md, "Where things live") and the size of what is in them: a newcomer finds
/// a process in services/, a simulator in sandbox/, a driver in tools/, and no production file too long to read at once.
/// </summary>
[TestFixture]
public sealed class LayoutTests
{
    private const int MaxLines = 300;

    /// <summary>Production code: everything but tests, build output and generated files.</summary>
    private static IEnumerable<string> ProductionSources() =>
        new[] { "contracts", "services", "sandbox", "tools" }
            .SelectMany(home => Directory.EnumerateFiles(RepositoryRoot.Combine(home), "*.cs", SearchOption.AllDirectories))
            .Where(path => !Segments(path).Any(s => s is "bin" or "obj" || s.EndsWith(".Tests", StringComparison.Ordinal)));

    [Test]
    public void No_production_file_is_over_300_lines()
    {
        var sources = ProductionSources().ToList();
        var tooLong = sources
            .Select(path => (Path: Path.GetRelativePath(RepositoryRoot.Path, path), Lines: File.ReadLines(path).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.Path} ({f.Lines} lines)")
            .ToList();

        Assert.That(sources, Has.Count.GreaterThan(100), "the scan found the production sources");
        Assert.That(tooLong, Is.Empty, $"split these by job, each file named for what it holds (at most {MaxLines} lines)");
    }

    [Test]
    public void Services_hold_the_processes_and_their_libraries_and_the_simulators_and_drivers_live_apart()
    {
        static string[] Projects(string home) =>
            [.. Directory.EnumerateFiles(RepositoryRoot.Combine(home), "*.csproj", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).Order()!];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Projects("services"), Does.Contain("ReconMesh.InvoiceIngest").And.Contain("ReconMesh.PaymentEvents")
                .And.Contain("ReconMesh.WritebackService").And.Not.Contain("ReconMesh.Sandbox"));
            Assert.That(Projects("sandbox"), Is.EqualTo(new[] { "ReconMesh.Sandbox", "ReconMesh.Sandbox.Tests" }));
            Assert.That(Projects("tools"), Does.Contain("ReconMesh.Demo").And.Contain("ReconMesh.Bench").And.Contain("ReconMesh.ContractsDoc"));
            Assert.That(Directory.EnumerateFiles(RepositoryRoot.Combine("deploy"), "*.csproj", SearchOption.AllDirectories), Is.Empty,
                "deploy/ holds deployment and scripts; drivers are tools");
        }
    }

    private static string[] Segments(string path) => Path.GetRelativePath(RepositoryRoot.Path, path).Split(Path.DirectorySeparatorChar);
}
