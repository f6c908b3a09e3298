using System.Collections.Concurrent;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>
/// What the specs do: each message is decided by the production decider (<see cref="PaymentReconciliationDecider"/>) on
/// the payment's reconciliation as the previous steps left it, and applied as the consumer applies it (the next state
/// stored, the commands sent, an unhandled event faulted with the reconciliation untouched). Pure: no bus, no store.
/// </summary>
public abstract class ReconciliationHarness
{
    private static readonly DateTimeOffset Clock = new(2026, 12, 1, 12, 30, 0, TimeSpan.Zero);
    private static readonly ConcurrentDictionary<Guid, PaymentReconciliation> States = new();
    private static readonly ConcurrentDictionary<Guid, ConcurrentQueue<object>> Sent = new();

    /// <summary>Decides the given's events in order; none may fault.</summary>
    protected static async Task<Key> GivenAsync(Guid id, Given given)
    {
        foreach (var step in given.Steps)
        {
            var outcome = await PublishAsync(id, step(id));
            Assert.That(outcome.Fault, Is.Null, $"the given '{given.Name}' faulted at {step(id).GetType().Name}");
        }

        var reached = Snapshot(id);
        Assert.That(reached.State, Is.EqualTo(given.State), $"the given '{given.Name}' did not lead where it says");
        return reached;
    }

    /// <summary>Decides the messages in order, each on what the previous one left.</summary>
    protected static async Task<Outcome[]> RunAsync(Guid id, params object[] messages)
    {
        var outcomes = new List<Outcome>(messages.Length);
        foreach (var message in messages)
        {
            outcomes.Add(await PublishAsync(id, message));
        }

        return [.. outcomes];
    }

    /// <summary>One message as the consumer takes it: decided, then applied.</summary>
    protected static Task<Outcome> PublishAsync(Guid id, object message)
    {
        var before = Snapshot(id);
        var decision = PaymentReconciliationDecider.Decide(States.GetValueOrDefault(id), message, Clock);
        if (decision.Verdict == ReconciliationVerdict.Unhandled)
        {
            return Task.FromResult(new Outcome(message.GetType().Name, before, before, Command.None, Expect.Unhandled));
        }

        if (decision.Next is { } next)
        {
            States[id] = next;
        }

        foreach (var command in decision.Commands)
        {
            Sent.GetOrAdd(id, _ => new ConcurrentQueue<object>()).Enqueue(command);
        }

        var caused = decision.Commands switch
        {
            [] => Command.None,
            [WritePaymentBack] => Command.WritePaymentBack,
            [ReversePayment] => Command.ReversePayment,
            var other => throw new AssertionException($"{message.GetType().Name} caused {string.Join(", ", other.Select(c => c.GetType().Name))}"),
        };
        return Task.FromResult(new Outcome(message.GetType().Name, before, Snapshot(id), caused, null));
    }

    /// <summary>The reconciliation's key fields now (<see cref="Key.None"/> while there is none).</summary>
    protected static Key Snapshot(Guid id) => States.TryGetValue(id, out var state) ? Key.Of(state) : Key.None;

    /// <summary>The reconciliation itself, for the fields a spec reads beyond <see cref="Key"/>.</summary>
    protected static PaymentReconciliation? Instance(Guid id) => States.GetValueOrDefault(id);

    /// <summary>The commands of one type sent for the payment so far, in order.</summary>
    protected static IEnumerable<T> Published<T>(Guid id) => Sent.TryGetValue(id, out var sent) ? sent.OfType<T>() : [];
}

/// <summary>The command a step caused.</summary>
public enum Command
{
    None,
    WritePaymentBack,
    ReversePayment,
}

/// <summary>What one message did: the saga's key fields before and after, the command it caused, and its fault (an exception type) if any.</summary>
public sealed record Outcome(string Message, Key Before, Key After, Command Command, string? Fault)
{
    /// <summary>One line of a story: "PaymentAccepted → WritingBack + WritePaymentBack", "... FAULTS".</summary>
    public override string ToString() =>
        $"{Message} → {After.State}{(Command == Command.None ? "" : $" + {Command}")}{(Fault is null ? "" : " FAULTS")}";

    /// <summary>The story of a run of messages, one line each.</summary>
    public static string[] Story(IEnumerable<Outcome> outcomes) => [.. outcomes.Select(o => o.ToString())];
}
