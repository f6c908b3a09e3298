using System.Diagnostics;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition that asynchronous processing will make true, failing with a description if it does not in time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        var last = await probe();
        while (!done(last))
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds:F0} s waiting for {what}; last seen: {last}");
            }

            await Task.Yield();
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            last = await probe();
        }

        return last;
    }
}
