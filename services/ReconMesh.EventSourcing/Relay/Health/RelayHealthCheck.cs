using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ReconMesh.EventSourcing.Relay.Health;

/// <summary>
/// Not ready while this node holds the event relay and it is paused or stopped, or has not moved for
/// <see cref="RelayHealthOptions.StallAfter"/> while events wait. A relay that is behind but moving is healthy; a node that
/// does not hold the relay (a cold replica) is judged by its other checks only.
/// </summary>
internal sealed class RelayHealthCheck(RelayMonitor monitor, IOptions<RelayHealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var reading = monitor.Latest;
        var data = new Dictionary<string, object>();
        if (reading is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Not read yet", data));
        }

        data["holds"] = reading.Holds;
        data["status"] = reading.Status.ToString();
        data["position"] = reading.Position;
        data["lag"] = reading.Lag;
        if (!reading.Holds)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Another node runs the event relay", data));
        }

        if (reading.Down)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The event relay is {reading.Status}", data: data));
        }

        return Task.FromResult(reading.StalledFor(options.Value.StallAfter)
            ? HealthCheckResult.Unhealthy($"The event relay has not moved since {reading.StillSince:O} while {reading.Lag} events wait", data: data)
            : HealthCheckResult.Healthy("The event relay runs here", data));
    }
}
