using System.Text.RegularExpressions;

namespace ReconMesh.DeployTests;

/// <summary>
/// Integrations are reached at their kinds' real hosts, on public addresses (docs/security.md): a deployment file that
/// allows a loopback host or range (<c>ReconMesh__Integrations__AllowedHosts__*</c>,
/// <c>ReconMesh__Integrations__AllowedPrivateNetworks</c>, or the same keys in YAML) would let a connection's
/// credentials be sent to the pod's own ports. Only the local scripts (deploy/local, the sandbox on 127.0.0.1) allow it.
/// </summary>
[TestFixture]
public sealed partial class NoLoopbackIntegrationsTests
{
    [GeneratedRegex(@"(?i)(AllowedHosts|AllowedPrivateNetworks)")]
    private static partial Regex AllowanceSetting();

    [GeneratedRegex(@"(?i)(\b127\.\d+\.\d+\.\d+|::1\b|\blocalhost\b|\b0\.0\.0\.0\b|\b::/0\b)")]
    private static partial Regex Loopback();

    [Test]
    public void The_check_catches_what_it_is_for()
    {
        Assert.That(Problems("x", ["ReconMesh__Integrations__AllowedPrivateNetworks=127.0.0.1/32"]), Is.Not.Empty);
        Assert.That(Problems("x", ["  ReconMesh__Integrations__AllowedHosts__QuickBooksOnline: \"localhost\""]), Is.Not.Empty);
        Assert.That(Problems("x", ["ReconMesh__Integrations__AllowedPrivateNetworks=172.16.0.0/12"]), Is.Empty);
        Assert.That(Problems("x", ["ReconMesh__Connections__0__BaseUrl=http://127.0.0.1:5080"]), Is.Empty, "not an allowance: refused at start without one");
    }

    [Test]
    public void No_deployment_file_allows_a_loopback_integration()
    {
        var deploy = RepositoryRoot.Combine("deploy");
        var local = RepositoryRoot.Combine("deploy", "local") + Path.DirectorySeparatorChar;
        var problems = Directory.EnumerateFiles(deploy, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(local, StringComparison.Ordinal) && IsText(f))
            .SelectMany(f => Problems(Path.GetRelativePath(deploy, f), File.ReadAllLines(f)))
            .ToList();

        Assert.That(problems, Is.Empty, string.Join(Environment.NewLine, problems));
    }

    private static IEnumerable<string> Problems(string file, IEnumerable<string> lines) =>
        lines.Select((line, i) => (line, i))
            .Where(l => AllowanceSetting().IsMatch(l.line) && Loopback().IsMatch(l.line))
            .Select(l => $"{file}:{l.i + 1}: allows a loopback integration: {l.line.Trim()}");

    private static bool IsText(string file) =>
        Path.GetExtension(file) is ".yaml" or ".yml" or ".env" or ".example" or ".tpl" or ".txt" or ".md" or ".json" or ".sh" or "";
}
