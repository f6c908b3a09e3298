namespace ReconMesh.EventSourcing.Relay;

/// <summary>
/// Implemented by an <see cref="IEventMessageMap"/> whose messages may travel together: many small messages of one key
/// become a few larger ones, so a page of thousands of events is a handful of publishes, deliveries and consumer
/// transactions instead of thousands. Only for messages that each carry the full current state of their stream and
/// that consumers keep by a revision: the relay may leave out a stream's older state when a newer one travels in the
/// same round (<see cref="RelayPlan"/>), and combined messages of one round are published side by side.
/// </summary>
public interface IMessageBatching
{
    /// <summary>The key under which <paramref name="message"/> may travel with others (e.g. its connection), or null when it travels alone.</summary>
    object? KeyOf(object message);

    /// <summary>
    /// Combines messages of one key, in order, into as few messages as the contract allows: each result says how many
    /// of the next messages it carries (at least one), and the counts add up to all of them.
    /// </summary>
    IEnumerable<(object Message, int Count)> Combine(IReadOnlyList<object> messages);

    /// <summary>
    /// Whether each message that travels combined is also published alone, as it was before messages were combined (for
    /// consumers of the older contract that have not moved yet), with its event's id.
    /// </summary>
    bool AlsoAlone { get; }
}
