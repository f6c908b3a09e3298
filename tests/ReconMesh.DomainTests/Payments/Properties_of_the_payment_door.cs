using CsCheck;
using ReconMesh.Domain.Payments;
using static ReconMesh.DomainTests.Payments.PaymentFacts;

namespace ReconMesh.DomainTests.Payments;

/// <summary>What holds for any order of reports the platform can send, redeliveries included.</summary>
public class Properties_of_the_payment_door
{
    private static readonly Gen<object> Command = Gen.OneOf<object>(
        Gen.Const<object>(Report()),
        Gen.Decimal[1m, 500m].Select(a => (object)Report(amount: decimal.Round(a, 2))),
        Gen.Const<object>(Failure()),
        Gen.OneOf(Gen.Const("re_1"), Gen.Const("re_2")).Select(id => (object)Refund(id)),
        Gen.Const<object>(Chargeback()));

    [Test]
    public void Should_record_one_payment_and_at_most_one_reversal_whatever_arrives()
    {
        Command.Array[0, 12].Sample(commands =>
        {
            var events = new List<object>();
            var state = PaymentStream.Empty;
            foreach (var command in commands)
            {
                var decision = Decide(command, state);
                events.AddRange(decision.Events);
                state = decision.Events.Aggregate(state, PaymentStream.Evolve);
            }

            return events.OfType<PaymentAccepted>().Count() <= 1
                && events.OfType<PaymentFailureAccepted>().Count() <= 1
                && events.OfType<ConflictingPaymentReportReceived>().GroupBy(c => c.Difference).All(g => g.Count() == 1)
                && (events.Count == 0 || events[0] is PaymentAccepted);
        });
    }

    [Test]
    public void Should_record_nothing_for_a_command_decided_again_on_what_it_recorded()
    {
        Gen.Select(Command.Array[0, 8], Command).Sample((history, command) =>
        {
            var state = After(history);
            var once = Decide(command, state).Events.Aggregate(state, PaymentStream.Evolve);
            return Decide(command, once).Events.Count == 0;
        });
    }
}
