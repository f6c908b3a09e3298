using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ReconMesh.EventSourcing.Relay;

public static class EventRelayExtensions
{
    /// <summary>
    /// Relay this service's appended events to the bus: the event store is the outbox (docs/architecture.md, property 2).
    /// Hot/cold: one replica relays, another takes over if it dies.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventRelay<TMap>(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten)
        where TMap : class, IEventMessageMap
    {
        marten.Services.AddSingleton<IEventMessageMap, TMap>();
        return marten
            .AddAsyncDaemon(DaemonMode.HotCold)
            .AddSubscriptionWithServices<EventRelay>(ServiceLifetime.Singleton, o =>
            {
                o.Name = EventRelay.RelayName;
                o.Options.BatchSize = 500;
            });
    }
}
