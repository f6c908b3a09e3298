using JasperFx.Events.Daemon.HighWater;

namespace ReconMesh.EventSourcing.Store;

/// <summary>
/// The relay's wake-up, made to gather: once <paramref name="inner"/> returns (an append was heard, or its timeout
/// passed), it waits <paramref name="gather"/> more before the daemon reads the store, never past the timeout it was
/// given, so a wait that timed out returns at once. The appends committed meanwhile are then read, and relayed, in one
/// page (<see cref="Relay.RelayPaceOptions.Gather"/>). A zero gather is the inner wake-up as it is.
/// </summary>
public sealed class GatheringWakeup(IDaemonWakeup inner, TimeSpan gather, TimeProvider time) : IDaemonWakeup
{
    public async Task WaitAsync(TimeSpan timeout, CancellationToken token)
    {
        var started = time.GetTimestamp();
        await inner.WaitAsync(timeout, token);
        if (gather <= TimeSpan.Zero)
        {
            return;
        }

        var left = timeout - time.GetElapsedTime(started);
        var pause = left < gather ? left : gather;
        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause, time, token);
        }
    }

    public void Dispose() => inner.Dispose();
}
