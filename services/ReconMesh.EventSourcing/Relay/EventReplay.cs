using System.Collections.Concurrent;
using System.Diagnostics;
using Marten;
using MassTransit;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.EventSourcing.Relay;

/// <summary>
/// Anti-entropy: tells the bus again what some streams already told it, for consumers that missed it (a purged or
/// deleted queue, a restored database, a new service). For each stream it publishes the latest event of each kind of
/// message the stream's events map to (<see cref="IEventMessageMap"/>), in the stream's order, exactly as the relay
/// published it: the same message, with the event's id as its message id (messages that travel combined, as
/// <see cref="IMessageBatching"/> says, are combined again, with an id made of the events they carry). A consumer that already had it sees a repeat
/// (the relay's at-least-once already makes repeats possible, so every consumer takes them without changing anything);
/// one that missed it catches up to the stream's current state. Latest only: each of these messages carries the full
/// current state, so the history before it adds nothing a consumer keeps.
/// </summary>
public sealed class EventReplay(IBus bus, IEventMessageMap map, IQuerySession session)
{
    private const int StreamsInParallel = 16;
    private static readonly ActivitySource Source = new(ServiceDefaultsExtensions.TelemetrySourceName);

    /// <summary>Publishes again each stream's latest message of each kind; returns how many messages were published (each confirmed by the broker; a combined one counts once).</summary>
    public async Task<int> RepublishLatestAsync(IReadOnlyCollection<Guid> streamIds, CancellationToken cancellationToken) =>
        (await RepublishLatestByKindAsync(streamIds, cancellationToken)).Values.Sum();

    /// <summary>As <see cref="RepublishLatestAsync"/>, counting the messages published by their type.</summary>
    public Task<IReadOnlyDictionary<Type, int>> RepublishLatestByKindAsync(IReadOnlyCollection<Guid> streamIds, CancellationToken cancellationToken) =>
        ReplayLatestAsync(streamIds, (message, eventId, token) => EventRelay.PublishAsync(bus, message, eventId, token), aloneToo: true, cancellationToken);

    /// <summary>
    /// As <see cref="RepublishLatestAsync"/>, but sent to one endpoint only (the queue of a consumer that asked for these
    /// streams) instead of published to every subscriber: an answer does not wait behind what the asker's other queues
    /// hold, and costs the subscribers that did not ask nothing. Only combined messages go there (never the older contract's
    /// single ones, which that endpoint does not read and would set aside as skipped). Returns how many messages were sent.
    /// </summary>
    public async Task<int> SendLatestAsync(IReadOnlyCollection<Guid> streamIds, ISendEndpoint endpoint, CancellationToken cancellationToken) =>
        (await ReplayLatestAsync(streamIds, (message, eventId, token) => endpoint.Send(message, message.GetType(), context =>
        {
            context.MessageId = eventId;
            context.Durable = true;
        }, token), aloneToo: false, cancellationToken)).Values.Sum();

    private async Task<IReadOnlyDictionary<Type, int>> ReplayLatestAsync(IReadOnlyCollection<Guid> streamIds, Func<object, Guid, CancellationToken, Task> deliver,
        bool aloneToo, CancellationToken cancellationToken)
    {
        var published = new ConcurrentDictionary<Type, int>();
        if (streamIds.Count == 0)
        {
            return published;
        }

        var ids = streamIds.ToArray();
        var events = await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(ids)).ToListAsync(cancellationToken);
        // Each stream's latest event of each kind of message, in the order they were appended, planned as the relay plans
        // a page: the same messages, combined where the map combines them.
        var latest = events
            .Select(e => (Event: e, Message: map.ToMessage(e)))
            .Where(x => x.Message is not null)
            .GroupBy(x => (x.Event.StreamId, Kind: x.Message!.GetType()))
            .Select(g => g.MaxBy(x => x.Event.Version).Event)
            .OrderBy(e => e.Sequence)
            .ToList();

        using var activity = Source.StartActivity("replay streams");
        activity?.SetTag("reconmesh.replay.streams", ids.Length);
        foreach (var round in RelayPlan.Of(latest, map, aloneToo))
        {
            await Parallel.ForEachAsync(round,
                new ParallelOptions { MaxDegreeOfParallelism = StreamsInParallel, CancellationToken = cancellationToken },
                async (lane, token) =>
                {
                    foreach (var outgoing in lane)
                    {
                        await deliver(outgoing.Message, outgoing.MessageId, token);
                        published.AddOrUpdate(outgoing.Message.GetType(), 1, (_, n) => n + 1);
                    }
                });
        }

        return published;
    }

    /// <summary>
    /// Replays streams a page at a time: <paramref name="page"/> gives the ids of at most one page of streams, in id order,
    /// after the id it is given (<see cref="Guid.Empty"/> first); each page is published (<see cref="RepublishLatestByKindAsync"/>)
    /// before the next is read, so what is replayed is never in memory whole. Returns how many streams were replayed and
    /// how many messages of each type that took.
    /// </summary>
    public async Task<(int Streams, IReadOnlyDictionary<Type, int> Messages)> RepublishPagesAsync(
        Func<Guid, CancellationToken, Task<IReadOnlyList<Guid>>> page, CancellationToken cancellationToken)
    {
        var (streams, messages, after) = (0, new Dictionary<Type, int>(), Guid.Empty);
        while (await page(after, cancellationToken) is { Count: > 0 } ids)
        {
            foreach (var (kind, count) in await RepublishLatestByKindAsync([.. ids], cancellationToken))
            {
                messages[kind] = messages.GetValueOrDefault(kind) + count;
            }

            streams += ids.Count;
            after = ids[^1];
        }

        return (streams, messages);
    }
}
