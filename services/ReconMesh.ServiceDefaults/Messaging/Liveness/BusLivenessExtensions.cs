using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.ServiceDefaults.Messaging.Liveness;

internal static class BusLivenessExtensions
{
    /// <summary>The bus watcher and the liveness check that reads it (tagged <see cref="ServiceDefaultsExtensions.LiveTag"/>).</summary>
    public static IServiceCollection AddBusLiveness(this IServiceCollection services)
    {
        services.AddOptions<BusLivenessOptions>().BindConfiguration(BusLivenessOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BusLivenessMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<BusLivenessMonitor>());
        services.AddHealthChecks().AddCheck<BusLivenessCheck>("bus-liveness", tags: [ServiceDefaultsExtensions.LiveTag]);
        return services;
    }
}
