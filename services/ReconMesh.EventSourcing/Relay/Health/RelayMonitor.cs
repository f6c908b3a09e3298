using System.Diagnostics.Metrics;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.EventSourcing.Relay.Health;

/// <summary>
/// The last <see cref="RelayReading"/> of this process, read by the readiness check and reported on the meter
/// <c>ReconMesh</c> as <c>reconmesh.relay.position</c>, <c>reconmesh.relay.lag</c>, <c>reconmesh.relay.paused</c> and the counter <c>reconmesh.relay.restarts</c>
/// (the same names with underscores in the Prometheus scrape).
/// The meter comes from the host's <see cref="IMeterFactory"/>, so the gauges go away with the host.
/// </summary>
public sealed class RelayMonitor
{
    private volatile RelayReading? _latest;
    private int _failedReads;
    private long _restarts;

    public RelayMonitor(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(ReconMeshMetrics.MeterName);
        meter.CreateObservableGauge("reconmesh.relay.position", () => Observe(r => r.Position), "{event}",
            "The event relay's committed position: the last event sequence it published");
        meter.CreateObservableGauge("reconmesh.relay.lag", () => Observe(r => r.Lag), "{event}",
            "Event sequences appended but not yet published by the event relay");
        meter.CreateObservableGauge("reconmesh.relay.paused", () => Observe(r => r.Down ? 1L : 0L), null,
            "1 while this node holds the event relay and it is paused or stopped, 0 otherwise");
        meter.CreateObservableCounter("reconmesh.relay.restarts", () => Restarts, "{restart}",
            "Restarts of the event relay this process attempted because it was paused, stopped or stalled");
    }

    /// <summary>The last reading, or null before the first.</summary>
    public RelayReading? Latest
    {
        get => _latest;
        internal set => _latest = value;
    }

    /// <summary>Looks in a row that could not read the relay's state (the database away); 0 after a successful one.</summary>
    public int FailedReads => Volatile.Read(ref _failedReads);

    /// <summary>Restarts of the relay this process attempted.</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    internal void Restarting() => Interlocked.Increment(ref _restarts);

    internal void ReadFailed() => Interlocked.Increment(ref _failedReads);

    internal void ReadSucceeded() => Volatile.Write(ref _failedReads, 0);

    private IEnumerable<Measurement<long>> Observe(Func<RelayReading, long> value)
    {
        if (_latest is { } reading)
        {
            yield return new Measurement<long>(value(reading));
        }
    }
}
