using System.Collections.Concurrent;
using JasperFx.Events;
using ReconMesh.EventSourcing.Relay;

namespace ReconMesh.UnitTests.Relay;

/// <summary>
/// The relay publishes a page of appended events: every stream at once (a confirm awaited for one stream holds no other
/// stream back), a stream's own events in order, each after the previous one's confirm, and it returns only when every
/// publish of the page was confirmed, failing if any was not, so the daemon never moves its position past an event the
/// broker did not take (at least once, docs/architecture.md property 2).
/// </summary>
[TestFixture]
public sealed class When_the_relay_publishes_a_page
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Should_publish_every_stream_of_the_page_without_waiting_for_another_streams_confirm(CancellationToken cancellationToken)
    {
        // An initial sync's page: 500 new invoice streams of one event each. No confirm comes until every one is published.
        var events = Enumerable.Range(0, 500).Select(_ => Event(Guid.NewGuid(), 1)).ToList();
        var published = 0;
        var allPublished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await EventRelay.PublishPageAsync(Plan(events), async (_, token) =>
        {
            if (Interlocked.Increment(ref published) == events.Count)
            {
                allPublished.SetResult();
            }

            await allPublished.Task.WaitAsync(token);
        }, cancellationToken);

        Assert.That(published, Is.EqualTo(events.Count));
    }

    [Test]
    public async Task Should_publish_a_streams_events_in_order_each_after_the_previous_ones_confirm()
    {
        var streams = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        var events = Enumerable.Range(1, 5).SelectMany(version => streams.Select(stream => Event(stream, version))).ToList();
        var inFlight = new ConcurrentDictionary<Guid, int>();
        var order = new ConcurrentDictionary<Guid, ConcurrentQueue<long>>();
        var overlapped = 0;

        await EventRelay.PublishPageAsync(Plan(events), async (e, _) =>
        {
            if (inFlight.AddOrUpdate(e.Event.StreamId, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlapped);
            }

            order.GetOrAdd(e.Event.StreamId, _ => new ConcurrentQueue<long>()).Enqueue(e.Event.Version);
            await Task.Yield();
            inFlight.AddOrUpdate(e.Event.StreamId, 0, (_, n) => n - 1);
        }, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(overlapped, Is.Zero, "a stream's event was published before the previous one was confirmed");
            foreach (var stream in streams)
            {
                Assert.That(order[stream], Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
            }
        }
    }

    [Test]
    public void Should_return_only_after_every_other_publish_was_confirmed_and_fail_when_one_was_not()
    {
        var events = Enumerable.Range(0, 50).Select(_ => Event(Guid.NewGuid(), 1)).ToList();
        var refused = events[7];
        var confirmed = 0;

        Assert.ThrowsAsync<InvalidOperationException>(() => EventRelay.PublishPageAsync(Plan(events), async (e, _) =>
        {
            await Task.Yield();
            if (e.Event == refused)
            {
                throw new InvalidOperationException("the broker did not confirm");
            }

            Interlocked.Increment(ref confirmed);
        }, CancellationToken.None));
        Assert.That(confirmed, Is.EqualTo(events.Count - 1));
    }

    /// <summary>Every event published as a message of its own (no combining).</summary>
    private static IReadOnlyList<IReadOnlyList<IReadOnlyList<RelayPlan.Outgoing>>> Plan(IEnumerable<IEvent> events) =>
        RelayPlan.Of(events, new EveryEventAlone());

    private sealed class EveryEventAlone : IEventMessageMap
    {
        public object? ToMessage(IEvent stored) => stored.Data;
    }

    private static Event<string> Event(Guid stream, long version) =>
        new($"event {version} of {stream}") { Id = Guid.NewGuid(), StreamId = stream, Version = version };
}
