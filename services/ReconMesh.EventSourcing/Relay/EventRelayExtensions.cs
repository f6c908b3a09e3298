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
    /// <param name="marten">The service's event store.</param>
    /// <param name="gather">
    /// How long the relay waits after an append is heard, unless <c>ReconMesh:Relay:Gather</c> says otherwise
    /// (<see cref="RelayPaceOptions.Gather"/>): zero for events on a payment's way to the books, more for the others.
    /// </param>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventRelay<TMap>(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten, TimeSpan gather = default)
        where TMap : class, IEventMessageMap
    {
        marten.Services.AddOptions<RelayPaceOptions>().Configure(o => o.Gather = gather).BindConfiguration(RelayPaceOptions.Section)
            .Validate(o => o.Gather >= TimeSpan.Zero && o.Gather <= RelayPaceOptions.MaxGather,
                $"{RelayPaceOptions.Section}:{nameof(RelayPaceOptions.Gather)} must be between 00:00:00 and {RelayPaceOptions.MaxGather:c}.")
            .ValidateOnStart();
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
