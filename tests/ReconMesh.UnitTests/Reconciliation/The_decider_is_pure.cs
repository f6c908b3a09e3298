using System.Text.Json;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.UnitTests.Reconciliation;

/// <summary>
/// The decider decides on a copy: whatever it decides, the reconciliation it was given is left as it was (the batch
/// consumers keep what they read beside what was decided, to store the decision at the version read), and the same
/// state and event give the same decision.
/// </summary>
[TestFixture]
public sealed class The_decider_is_pure : ReconciliationHarness
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static IEnumerable<TestCaseData> Pairs() =>
        from given in new[]
        {
            Givens.FailedBeforeAcceptance, Givens.WritingBack, Givens.WaitingForInvoice, Givens.Applied, Givens.NeedsAttentionToWrite,
            Givens.NeedsAttentionToReverse, Givens.Reversing, Givens.Reversed, Givens.Cancelled, Givens.DismissedByPerson,
        }
        from happening in Enum.GetValues<Happening>()
        select new TestCaseData(given, happening).SetName($"{given.State} ({given.Name}) + {happening}");

    [TestCaseSource(nameof(Pairs))]
    public async Task It_leaves_its_input_unchanged_and_decides_the_same_twice(Given given, Happening happening)
    {
        var id = Guid.NewGuid();
        await GivenAsync(id, given);
        var state = Instance(id)!;
        var before = JsonSerializer.Serialize(state);
        var message = Happenings.Make(happening, id, edition: 2);

        var first = PaymentReconciliationDecider.Decide(state, message, Now);
        var second = PaymentReconciliationDecider.Decide(state, message, Now);

        Assert.Multiple(() =>
        {
            Assert.That(JsonSerializer.Serialize(state), Is.EqualTo(before), "the reconciliation it was given changed");
            Assert.That(second.Verdict, Is.EqualTo(first.Verdict));
            Assert.That(JsonSerializer.Serialize(second.Next), Is.EqualTo(JsonSerializer.Serialize(first.Next)));
            Assert.That(Json(second.Commands), Is.EqualTo(Json(first.Commands)));
            Assert.That(first.Next, Is.Not.SameAs(state), "a decision must not hand back the state it was given");
        });
    }

    private static string[] Json(IEnumerable<object> commands) => [.. commands.Select(c => $"{c.GetType().Name} {JsonSerializer.Serialize(c, c.GetType())}")];
}
