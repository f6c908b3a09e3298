using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.EventSourcing.Relay.Health;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.EventSourcing.Relay;

public static class EventRelayExtensions
{
    /// <summary>
    /// Relay this service's appended events to the bus: the event store is the outbox (docs/architecture.md, property 2).
    /// Hot/cold: one replica relays, another takes over if it dies. <see cref="RelayWatcher"/> reports the relay's health
    /// (readiness check <c>event-relay</c>, gauges <c>reconmesh.relay.*</c>) and restarts it when it is paused or stalled. <see cref="EventReplay"/> publishes again, on an operator's request, what
    /// some streams already told the bus.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventRelay<TMap>(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten)
        where TMap : class, IEventMessageMap
    {
        marten.Services.AddSingleton<IEventMessageMap, TMap>();
        marten.Services.AddScoped<EventReplay>();
        marten.Services.AddOptions<ReplayOptions>().BindConfiguration(ReplayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        marten.Services.AddOptions<RelayHealthOptions>().BindConfiguration(RelayHealthOptions.Section);
        marten.Services.AddSingleton<RelayMonitor>();
        marten.Services.AddHostedService<RelayWatcher>();
        marten.Services.AddHealthChecks().AddCheck<RelayHealthCheck>("event-relay", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return marten
            .AddAsyncDaemon(DaemonMode.HotCold)
            .AddSubscriptionWithServices<EventRelay>(ServiceLifetime.Singleton, o =>
            {
                o.Name = EventRelay.RelayName;
                o.Options.BatchSize = 500;
            });
    }
}
