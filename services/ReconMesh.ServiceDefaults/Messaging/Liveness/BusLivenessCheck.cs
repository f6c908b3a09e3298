using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReconMesh.ServiceDefaults.Messaging.Liveness;

/// <summary>Not live when the bus is stuck (<see cref="BusVerdict.Stuck"/>); live while it is healthy, recovering or waiting for the broker.</summary>
internal sealed class BusLivenessCheck(BusLivenessMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var reading = monitor.Latest;
        var data = new Dictionary<string, object> { ["verdict"] = reading.Verdict.ToString(), ["countedFrom"] = reading.CountedFrom.ToString("O") };
        return Task.FromResult(reading.Verdict == BusVerdict.Stuck
            ? HealthCheckResult.Unhealthy($"The bus has been short of healthy, with the broker there, since {reading.CountedFrom:O}: {reading.Description}", data: data)
            : HealthCheckResult.Healthy(reading.Description, data));
    }
}
