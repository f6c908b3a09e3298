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
/// discard the duplicates a replay produces. Events of one stream are published in order; streams in parallel.
/// </summary>
public sealed class EventRelay : SubscriptionBase
{
    public const string RelayName = "event-relay";
    private const int StreamsInParallel = 16;
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
        var streams = page.Events.GroupBy(e => e.StreamId);
        await Parallel.ForEachAsync(streams,
            new ParallelOptions { MaxDegreeOfParallelism = StreamsInParallel, CancellationToken = cancellationToken },
            async (stream, token) =>
            {
                foreach (var @event in stream)
                {
                    await PublishAsync(@event, token);
                }
            });

        if (page.Events.Count > 0 && _logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Relayed events {From}..{To}", page.SequenceFloor, page.SequenceCeiling);
        }

        return NullChangeListener.Instance;
    }

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
