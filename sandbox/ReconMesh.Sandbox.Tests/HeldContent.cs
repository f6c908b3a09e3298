using System.Net;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// A request body whose end is held back until the test lets it go, so the call stays in flight (for the simulators'
/// concurrency limits): <paramref name="head"/> is sent at once, <paramref name="tail"/> once <paramref name="release"/> completes.
/// </summary>
internal sealed class HeldContent(Task release, string head, string tail) : HttpContent
{
    /// <summary>Polls observable state (no sleeping): each poll is a full HTTP round trip.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            if (await condition())
            {
                return;
            }
        }

        Assert.Fail("the condition never held");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(head));
        await stream.FlushAsync();
        await release;
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(tail));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
