using System.Security.Cryptography;
using JasperFx.Events;

namespace ReconMesh.EventSourcing.Relay;

/// <summary>
/// How a page of events goes out (a pure function of the page and the map): rounds, one after another; the lanes of a
/// round side by side; the messages of a lane in order. A stream's plain messages share a lane, in the stream's order.
/// Messages that may travel together (<see cref="IMessageBatching"/>) are combined per key within a round, keeping
/// only each stream's newest one. A round ends where a stream would otherwise have a plain and a combined message in
/// it, so that a stream's messages always leave in its order.
/// </summary>
public static class RelayPlan
{
    /// <summary>One publish: the message, its id, and the event whose trace it continues.</summary>
    public sealed record Outgoing(object Message, Guid MessageId, IEvent Event, int Events);

    /// <param name="events">The page, in the order the events were appended.</param>
    /// <param name="map">What each event becomes on the bus.</param>
    /// <param name="aloneToo">
    /// Whether combined messages are also sent alone when the map asks (<see cref="IMessageBatching.AlsoAlone"/>): yes for
    /// what is published to every subscriber; no for an answer sent to one endpoint that reads only the combined ones.
    /// </param>
    public static IReadOnlyList<IReadOnlyList<IReadOnlyList<Outgoing>>> Of(IEnumerable<IEvent> events, IEventMessageMap map, bool aloneToo = true)
    {
        var batching = map as IMessageBatching;
        var rounds = new List<IReadOnlyList<IReadOnlyList<Outgoing>>>();
        var round = new Round();
        foreach (var @event in events)
        {
            if (map.ToMessage(@event) is not { } message)
            {
                continue;
            }

            var key = batching?.KeyOf(message);
            if (round.Conflicts(@event.StreamId, combined: key is not null))
            {
                rounds.Add(round.Lanes(batching, aloneToo));
                round = new Round();
            }

            round.Add(@event, message, key);
        }

        if (!round.IsEmpty)
        {
            rounds.Add(round.Lanes(batching, aloneToo));
        }

        return rounds;
    }

    /// <summary>
    /// The id of a message carrying these events: the event's own id for one (as every relayed message had before
    /// messages were combined), else a hash of all their ids, so the same events always make the same id and other
    /// events another.
    /// </summary>
    public static Guid MessageIdOf(IReadOnlyList<IEvent> events)
    {
        if (events.Count == 1)
        {
            return events[0].Id;
        }

        var bytes = new byte[events.Count * 16];
        for (var i = 0; i < events.Count; i++)
        {
            events[i].Id.TryWriteBytes(bytes.AsSpan(i * 16, 16));
        }

        return new Guid(SHA256.HashData(bytes).AsSpan(0, 16));
    }

    private sealed class Round
    {
        private readonly Dictionary<Guid, List<(IEvent Event, object Message)>> _plain = [];
        private readonly Dictionary<object, Dictionary<Guid, (IEvent Event, object Message)>> _combined = [];
        private readonly Dictionary<Guid, bool> _streams = [];

        public bool IsEmpty => _streams.Count == 0;

        public bool Conflicts(Guid stream, bool combined) => _streams.TryGetValue(stream, out var held) && held != combined;

        public void Add(IEvent @event, object message, object? key)
        {
            _streams[@event.StreamId] = key is not null;
            if (key is null)
            {
                (_plain.TryGetValue(@event.StreamId, out var lane) ? lane : _plain[@event.StreamId] = []).Add((@event, message));
                return;
            }

            // The stream's newest state replaces an older one of this round (and keeps its place).
            (_combined.TryGetValue(key, out var group) ? group : _combined[key] = [])[@event.StreamId] = (@event, message);
        }

        public List<IReadOnlyList<Outgoing>> Lanes(IMessageBatching? batching, bool aloneToo)
        {
            var lanes = new List<IReadOnlyList<Outgoing>>();
            lanes.AddRange(_plain.Values.Select(lane => (IReadOnlyList<Outgoing>)[.. lane.Select(x => new Outgoing(x.Message, x.Event.Id, x.Event, 1))]));
            foreach (var group in _combined.Values)
            {
                var members = group.Values.ToList();
                var start = 0;
                foreach (var (message, count) in batching!.Combine([.. members.Select(m => m.Message)]))
                {
                    var carried = members.GetRange(start, count).Select(m => m.Event).ToList();
                    lanes.Add([new Outgoing(message, MessageIdOf(carried), carried[^1], count)]);
                    start += count;
                }

                if (start != members.Count)
                {
                    throw new InvalidOperationException($"{batching.GetType().Name} combined {start} of {members.Count} messages.");
                }

                if (aloneToo && batching.AlsoAlone)
                {
                    lanes.AddRange(members.Select(m => (IReadOnlyList<Outgoing>)[new Outgoing(m.Message, m.Event.Id, m.Event, 1)]));
                }
            }

            return lanes;
        }
    }
}
