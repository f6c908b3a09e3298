using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Payments;
using PaymentFailureAccepted = ReconMesh.Domain.Payments.PaymentFailureAccepted;
using static ReconMesh.DomainTests.Payments.PaymentFacts;

namespace ReconMesh.DomainTests.Payments;

public class When_the_money_does_not_stay_paid
{
    private static IEnumerable<TestCaseData> Reversals()
    {
        yield return new TestCaseData(Failure()).SetArgDisplayNames("failure");
        yield return new TestCaseData(Refund()).SetArgDisplayNames("refund");
        yield return new TestCaseData(Chargeback()).SetArgDisplayNames("chargeback");
    }

    [TestCaseSource(nameof(Reversals))]
    public void Should_say_the_payment_is_not_received_when_the_reversal_overtakes_it(ReportReversal reversal)
    {
        var decision = PaymentDecider.Decide(reversal, PaymentStream.Empty);

        Assert.That(decision, Is.TypeOf<PaymentDecision.PaymentNotReceived>());
        Assert.That(((PaymentDecision.PaymentNotReceived)decision).Reason, Does.Contain("no payment pay_1"));
        Assert.That(decision.Events, Is.Empty);
    }

    [TestCaseSource(nameof(Reversals))]
    public void Should_record_the_reversal_of_a_received_payment_once(ReportReversal reversal)
    {
        var state = After(Report());
        var first = PaymentDecider.Decide(reversal, state);
        var again = PaymentDecider.Decide(reversal, After(Report(), reversal));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.TypeOf<PaymentDecision.Accepted>());
            var recorded = first.Events.Cast<PaymentFailureAccepted>().Single();
            Assert.That((recorded.Kind, recorded.ReversalId, recorded.MeshPaymentId), Is.EqualTo((reversal.Kind, reversal.ReversalId, Id)));
            Assert.That(again, Is.TypeOf<PaymentDecision.Duplicate>());
            Assert.That(again.Events, Is.Empty);
        });
    }

    [Test]
    public void Should_take_back_the_whole_payment_with_its_surcharge()
    {
        var state = After(Report(amount: 100m, surcharge: 3m));

        Assert.Multiple(() =>
        {
            Assert.That(PaymentDecider.Decide(Refund(amount: 103m), state), Is.TypeOf<PaymentDecision.Accepted>());
            Assert.That(PaymentDecider.Decide(Refund(amount: 100m), state), Is.TypeOf<PaymentDecision.Rejected>());
            Assert.That(PaymentDecider.Decide(Refund(amount: 103m, currency: "EUR"), state), Is.TypeOf<PaymentDecision.Rejected>());
        });
    }

    [Test]
    public void Should_refuse_a_second_reversal_that_would_take_the_money_back_twice()
    {
        var refunded = After(Report(), Refund());

        Assert.Multiple(() =>
        {
            Assert.That(PaymentDecider.Decide(Refund(id: "re_2"), refunded), Is.TypeOf<PaymentDecision.Rejected>());
            Assert.That(PaymentDecider.Decide(Chargeback(), refunded), Is.TypeOf<PaymentDecision.Rejected>());
            Assert.That(((PaymentDecision.Rejected)PaymentDecider.Decide(Chargeback(), refunded)).Reasons.Single(),
                Does.StartWith("Payment pay_1 was already refunded (re_1)"));
            Assert.That(PaymentDecider.Decide(Refund(), After(Report(), Failure())), Is.TypeOf<PaymentDecision.Rejected>());
        });
    }

    [Test]
    public void Should_take_a_failure_reported_after_any_reversal_as_the_same_news()
    {
        var decision = PaymentDecider.Decide(Failure(), After(Report(), Chargeback()));

        Assert.That(decision, Is.TypeOf<PaymentDecision.Duplicate>());
        Assert.That(decision.Events, Is.Empty);
    }

    [Test]
    public void Should_keep_the_first_reversal_in_the_state()
    {
        var state = After(Report(), Refund(), Chargeback());

        Assert.That(state.Reversal!.Kind, Is.EqualTo(PaymentReversalKind.Refunded));
    }
}
