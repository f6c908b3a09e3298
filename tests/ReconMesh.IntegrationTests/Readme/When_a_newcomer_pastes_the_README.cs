using ReconMesh.IntegrationTests.Infrastructure;

namespace ReconMesh.IntegrationTests.Readme;

/// <summary>
/// Issue #17, build point 5: the README's try-it commands, run as written against <c>./run up</c>, so the first thing a
/// newcomer pastes works. The mesh is started as <c>./run up</c> starts it after its build: <c>deploy/local/up.sh</c>
/// from the repository root, given the servers as <c>./run</c> gives them (<c>ReconMesh__Postgres</c>,
/// <c>ReconMesh__RabbitMq</c>), here a database and virtual host of the test's own, so a second run starts as fresh as
/// the first. The commands (<see cref="ReadmeTryIt"/>) then run concatenated in one <c>bash -euo pipefail</c>, as one
/// terminal would, with a time limit per block; their own <c>until</c> loops do the waiting.
/// </summary>
[TestFixture]
public sealed class When_a_newcomer_pastes_the_README
{
    private static readonly int[] Ports = [5080, 5081, 5082, 5083, 5084, 5085, 5086]; // up.sh's, fixed (5086: the operator console)
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan BlockTimeout = TimeSpan.FromMinutes(3);

    [Test]
    public async Task Its_try_it_commands_run_as_written_and_show_a_payment_applied()
    {
        var root = ServiceProcesses.RepositoryRoot();
        var blocks = ReadmeTryIt.Blocks(await File.ReadAllTextAsync(Path.Combine(root, "README.md")));
        Assert.That(Ports.Where(port => !LoopbackPorts.IsFree(port)), Is.Empty, "ports up.sh needs are taken (another ./run up?)");

        await using var servers = await TestServers.StartAsync();
        await using var mesh = ProcessGroup.Start(root, new Dictionary<string, string?>
        {
            ["ReconMesh__Postgres"] = servers.Postgres,
            ["ReconMesh__RabbitMq"] = servers.RabbitMqUrl,
            ["RECONMESH_TENANT"] = null, // the README's commands name demo-tenant, up.sh's default
        }, "bash", "deploy/local/up.sh");
        Assert.That(await mesh.PrintsAsync("ReconMesh is up", ReadyTimeout), Is.True,
            () => $"up.sh did not say it was up (exit code {mesh.ExitCode}; logs in artifacts/logs); its output:\n{mesh.Output}");

        // A marker after each block, so each has its own time limit.
        var script = string.Concat(blocks.Select((block, i) => $"{block}echo '{Marker(i)}'\n"));
        await using var readme = ProcessGroup.Start(root, new Dictionary<string, string?>
        {
            ["MSBUILDDISABLENODEREUSE"] = "1", // ./run token builds its tool: no build nodes left behind
        }, "bash", "-euo", "pipefail", "-c", script);
        for (var i = 0; i < blocks.Count; i++)
        {
            Assert.That(await readme.PrintsAsync(Marker(i), BlockTimeout), Is.True,
                () => $"README block {i + 1} of {blocks.Count} failed or ran over {BlockTimeout.TotalMinutes} min (exit code " +
                      $"{readme.ExitCode}); the commands' output:\n{readme.Output}\nup.sh's:\n{mesh.Output}");
        }

        Assert.That(await readme.ExitAsync(BlockTimeout), Is.Zero, () => readme.Output);
        await TestContext.Out.WriteLineAsync(readme.Output);
        Assert.Multiple(() =>
        {
            Assert.That(readme.Output, Does.Match("\"initialSyncComplete\": true"), "the connection's initial sync completes");
            Assert.That(readme.Output, Does.Match("\"status\": ?\"accepted\""), "the webhook accepts the payment");
            Assert.That(readme.Output, Does.Match("\"state\": \"Applied\""), "the payment is written back");
        });
    }

    private static string Marker(int block) => $"[readme test] block {block + 1} ran";
}
