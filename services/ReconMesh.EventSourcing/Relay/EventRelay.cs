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
/// discard the duplicates a replay produces. Events of one stream are published in order, each after the previous
/// one's confirm; every stream of the page at once (<see cref="PublishPageAsync"/>).
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
        await PublishPageAsync(page.Events, PublishAsync, cancellationToken);

        if (page.Events.Count > 0 && _logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Relayed events {From}..{To}", page.SequenceFloor, page.SequenceCeiling);
        }

        return NullChangeListener.Instance;
    }

    /// <summary>
    /// Publishes a page: every stream's events at once, so no publish waits for another stream's confirm (an initial
    /// sync's page is 500 streams of one event each; one at a time per slot, 16 slots held the relay to ~16 confirms a
    /// round trip); within a stream in order, each after the previous one's confirm. Returns only when every publish was
    /// confirmed, and throws if any failed, so the daemon commits the position past confirmed events only. A page is at
    /// most the subscription's batch size, which bounds the publishes in flight.
    /// </summary>
    public static Task PublishPageAsync(IReadOnlyList<IEvent> events, Func<IEvent, CancellationToken, Task> publish,
        CancellationToken cancellationToken) =>
        Task.WhenAll(events.GroupBy(e => e.StreamId).Select(async stream =>
        {
            foreach (var @event in stream)
            {
                await publish(@event, cancellationToken);
            }
        }));

    private async Task PublishAsync(IEvent @event, CancellationToken cancellationToken)
    {
        var message = _map.ToMessage(@event);
        if (message is null)
        {
            return;
        }

        ActivityContext.TryParse(@event.GetHeader(TraceContextListener.TraceParentHeader)?.ToString(), null, out var parent);
        using var activity = Source.StartActivity($"relay {@event.EventTypeName}", ActivityKind.Internal, parent);
        activity?.SetTag("reconmesh.event.id", @event.Id);
        activity?.SetTag("reconmesh.event.sequence", @event.Sequence);

        await PublishAsync(_bus, message, @event.Id, cancellationToken);
    }

    /// <summary>Publishes <paramref name="message"/> as the relay does: durable, its message id the id of the event it tells.</summary>
    internal static Task PublishAsync(IBus bus, object message, Guid eventId, CancellationToken cancellationToken) =>
        bus.Publish(message, message.GetType(), context =>
        {
            context.MessageId = eventId;
            context.Durable = true;
        }, cancellationToken);
}
