using System.Diagnostics;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.EventSourcing.Relay;

/// <summary>
/// Publishes appended events to RabbitMQ: the event store is the outbox. The daemon commits this subscription's
/// position only after <see cref="ProcessEventsAsync"/> returns, so every publish is awaited (broker confirm) first:
/// a crash replays the page (at least once), never skips it. Each message's id is the event's id, so consumers can
/// discard the duplicates a replay produces; a message carrying several events' states (<see cref="IMessageBatching"/>)
/// gets an id made of theirs (<see cref="RelayPlan.MessageIdOf"/>). Events of one stream are published in order, each
/// after the previous one's confirm; every stream of the page at once (<see cref="PublishPageAsync"/>).
/// </summary>
public sealed class EventRelay : SubscriptionBase
{
    public const string RelayName = "event-relay";
    private static readonly ActivitySource Source = new(ServiceDefaultsExtensions.TelemetrySourceName);

    private readonly IBus _bus;
    private readonly IEventMessageMap _map;
    private readonly ILogger<EventRelay> _logger;

    public EventRelay(IBus bus, IEventMessageMap map, ILogger<EventRelay> logger)
    {
        _bus = bus;
        _map = map;
        _logger = logger;
        Name = RelayName;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        await PublishPageAsync(RelayPlan.Of(page.Events, _map), PublishAsync, cancellationToken);

        if (page.Events.Count > 0 && _logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Relayed events {From}..{To}", page.SequenceFloor, page.SequenceCeiling);
        }

        return NullChangeListener.Instance;
    }

    /// <summary>
    /// Publishes a page as planned (<see cref="RelayPlan"/>): round after round; within a round every lane at once, so no
    /// publish waits for another stream's confirm (an initial sync's page is hundreds of streams); within a lane in order,
    /// each after the previous one's confirm. Returns only when every publish was confirmed, and throws if any failed, so
    /// the daemon commits the position past confirmed events only. A page is at most the subscription's batch size, which
    /// bounds the publishes in flight.
    /// </summary>
    public static async Task PublishPageAsync(IReadOnlyList<IReadOnlyList<IReadOnlyList<RelayPlan.Outgoing>>> rounds,
        Func<RelayPlan.Outgoing, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        foreach (var round in rounds)
        {
            await Task.WhenAll(round.Select(async lane =>
            {
                foreach (var outgoing in lane)
                {
                    await publish(outgoing, cancellationToken);
                }
            }));
        }
    }

    private async Task PublishAsync(RelayPlan.Outgoing outgoing, CancellationToken cancellationToken)
    {
        var @event = outgoing.Event;
        ActivityContext.TryParse(@event.GetHeader(TraceContextListener.TraceParentHeader)?.ToString(), null, out var parent);
        using var activity = Source.StartActivity($"relay {@event.EventTypeName}", ActivityKind.Internal, parent);
        activity?.SetTag("reconmesh.event.id", @event.Id);
        activity?.SetTag("reconmesh.event.sequence", @event.Sequence);
        if (outgoing.Events > 1)
        {
            activity?.SetTag("reconmesh.relay.events", outgoing.Events);
        }

        await PublishAsync(_bus, outgoing.Message, outgoing.MessageId, cancellationToken);
    }

    /// <summary>Publishes <paramref name="message"/> as the relay does: durable, its message id the id of the event(s) it tells.</summary>
    internal static Task PublishAsync(IBus bus, object message, Guid eventId, CancellationToken cancellationToken) =>
        bus.Publish(message, message.GetType(), context =>
        {
            context.MessageId = eventId;
            context.Durable = true;
        }, cancellationToken);
}
