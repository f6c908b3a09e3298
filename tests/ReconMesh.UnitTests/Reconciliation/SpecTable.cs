using ReconMesh.WritebackService.Reconciliation;
using static ReconMesh.UnitTests.Reconciliation.Happenings;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>The saga's fields a spec checks: its state and what decides its next move.</summary>
public sealed record Key(
    string State, bool FailureReceived, string? Stage, string? Reason, string ExternalIds, string WaitingFor, DateTimeOffset? WaitingSince)
{
    /// <summary>No saga (yet) for the payment.</summary>
    public static readonly Key None = new("(no saga)", false, null, null, "", "", null);

    /// <summary>In an expectation: <see cref="WaitingSince"/> is set now, to whatever the clock said.</summary>
    public static readonly DateTimeOffset SetNow = DateTimeOffset.MaxValue;

    public static Key Of(PaymentReconciliation s) => new(s.CurrentState, s.FailureReceived, s.AttentionStage, s.Reason,
        string.Join(",", s.ExternalPaymentIds), string.Join(",", s.WaitingForInvoiceIds), s.WaitingSince);

    /// <summary>This key as an expectation reads it: a <see cref="SetNow"/> there matches any time here.</summary>
    public Key As(Key expected) =>
        expected.WaitingSince == SetNow && WaitingSince is not null && WaitingSince != SetNow ? this with { WaitingSince = SetNow } : this;
}

/// <summary>A state, reached as in production: the events that lead there, in order.</summary>
public sealed record Given(string Name, string State, params Func<Guid, object>[] Steps)
{
    public override string ToString() => Name;
}

/// <summary>What the event under test does: the state after it, the command published, the key fields changed, a fault.</summary>
public sealed record Expect(string? State, Command Command, Func<Key, Key>? Changes, string? Fault, string Says)
{
    /// <summary>
    /// How the reconciliation refuses an event its state does not handle: the message faults, and in production lands
    /// in the endpoint's error queue.
    /// </summary>
    public const string Unhandled = nameof(UnhandledReconciliationEventException);

    /// <summary>Moves to (or stays in) the state, publishes the command, and changes exactly the fields named.</summary>
    public static Expect Goes(string state, Command command = Command.None, Func<Key, Key>? changes = null) =>
        new(state, command, changes, null, $"→ {state}{(command == Command.None ? "" : $", {command}")}");

    /// <summary>Explicitly ignored: stays, publishes nothing, changes nothing, does not fault.</summary>
    public static Expect Ignored { get; } = new(null, Command.None, null, null, "ignored");

    /// <summary>
    /// Not handled in the state: the message faults into the error queue, the saga is untouched. <paramref name="why"/>
    /// says whether production can send it there.
    /// </summary>
    public static Expect Faults(string why) => new(null, Command.None, null, Unhandled, $"FAULTS ({why})");

    /// <summary>
    /// For a payment with no reconciliation, an event that does not start one: the consumer drops the message, with no
    /// fault (<see cref="Happening.AwaitedInvoicesSynced"/> is expected there: an invoice arrives for nobody waiting).
    /// </summary>
    public static Expect Dropped(string why) => new(null, Command.None, null, null, $"dropped silently ({why})");

    public Key Expected(Key before) => (Changes ?? (k => k))(State is null ? before : before with { State = State });

    public override string ToString() => Says;
}

/// <summary>Every state the saga can be in, each reached through the events that lead there in production.</summary>
public static class Givens
{
    public static readonly Given NoSaga = new("no saga yet", Key.None.State);

    public static readonly Given FailedBeforeAcceptance = new("failed before accepted", "FailedBeforeAcceptance",
        id => PaymentFailed(id));

    public static readonly Given WritingBack = new("accepted", "WritingBack",
        id => Accepted(id));

    public static readonly Given WaitingForInvoice = new("accepted, invoice missing", "WaitingForInvoice",
        id => Accepted(id), id => Make(Happening.WritebackAwaitingInvoices, id));

    public static readonly Given Applied = new("accepted, written", "Applied",
        id => Accepted(id), id => Make(Happening.PaymentStatusWrittenBack, id));

    public static readonly Given NeedsAttentionToWrite = new("accepted, write refused", "NeedsAttention",
        id => Accepted(id), id => Make(Happening.WritebackFailed, id));

    public static readonly Given NeedsAttentionToReverse = new("written, failed, reversal refused", "NeedsAttention",
        id => Accepted(id), id => Make(Happening.PaymentStatusWrittenBack, id), id => PaymentFailed(id), id => Make(Happening.WritebackFailed, id));

    public static readonly Given Reversing = new("written, then failed", "Reversing",
        id => Accepted(id), id => Make(Happening.PaymentStatusWrittenBack, id), id => PaymentFailed(id));

    public static readonly Given Reversed = new("written, failed, reverted", "Reversed",
        id => Accepted(id), id => Make(Happening.PaymentStatusWrittenBack, id), id => PaymentFailed(id), id => Make(Happening.PaymentStatusReverted, id));

    public static readonly Given Cancelled = new("failed before accepted, accepted, cancelled", "Cancelled",
        id => PaymentFailed(id), id => Accepted(id), id => Cancellation(id));

    public static readonly Given DismissedByPerson = new("write refused, dismissed", "DismissedByPerson",
        id => Accepted(id), id => Make(Happening.WritebackFailed, id), id => Make(Happening.ExceptionDismissed, id));
}

/// <summary>Runs one row of a state × event table: the given, then the event under test (edition 2).</summary>
public abstract class StateEventTable : ReconciliationHarness
{
    protected static async Task VerifyAsync(Given given, Happening happening, Expect then)
    {
        var id = Guid.NewGuid();
        var before = await GivenAsync(id, given);
        var outcome = await PublishAsync(id, Make(happening, id, edition: 2));
        var expected = then.Expected(before);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Fault, Is.EqualTo(then.Fault), "fault");
            Assert.That(outcome.Command, Is.EqualTo(then.Command), "command published");
            Assert.That(outcome.After.As(expected), Is.EqualTo(expected), "state and key fields");
        });
    }

    protected static TestCaseData Row(Given given, Happening happening, Expect then) =>
        new TestCaseData(given, happening, then).SetName($"{given.State} ({given.Name}) + {happening} {then}");
}
