using System.Globalization;
using ReconMesh.Domain.Payments;
using static ReconMesh.DomainTests.Payments.PaymentFacts;

namespace ReconMesh.DomainTests.Payments;

public class When_the_platform_reports_a_payment
{
    [Test]
    public void Should_record_the_first_report_as_the_stream_s_first_event()
    {
        var report = Report();
        var decision = PaymentDecider.Decide(report, PaymentStream.Empty);

        Assert.That(decision, Is.TypeOf<PaymentDecision.Accepted>());
        Assert.That(decision.Events.Single(), Is.SameAs(report.Report));
    }

    [Test]
    public void Should_answer_the_same_report_again_as_a_duplicate_that_records_nothing()
    {
        var decision = PaymentDecider.Decide(Report(), After(Report()));

        Assert.That(decision, Is.TypeOf<PaymentDecision.Duplicate>());
        Assert.That(decision.Events, Is.Empty);
    }

    // Amounts as text: NUnit passes numeric literals as doubles, which lose a decimal's scale ("99.00").
    [TestCase("99.00", "0.80", "0", "USD", "amount 99.00 USD instead of 120.50 USD")]
    [TestCase("120.50", "0.80", "0", "CAD", "amount 120.50 CAD instead of 120.50 USD")]
    [TestCase("120.50", "1.20", "0", "USD", "fee 1.20 instead of 0.80")]
    [TestCase("120.50", "0.80", "3.50", "USD", "surcharge 3.50 instead of 0")]
    public void Should_keep_the_first_report_and_note_how_a_later_one_differs(string amount, string fee, string surcharge, string currency, string difference)
    {
        var again = Report(decimal.Parse(amount, CultureInfo.InvariantCulture), decimal.Parse(fee, CultureInfo.InvariantCulture),
            decimal.Parse(surcharge, CultureInfo.InvariantCulture), currency);
        var decision = PaymentDecider.Decide(again, After(Report()));

        Assert.That(decision, Is.TypeOf<PaymentDecision.Duplicate>());
        Assert.That(decision.Events.Cast<ConflictingPaymentReportReceived>().Select(c => c.Difference).ToList(), Is.EqualTo(new[] { difference }));
    }

    [Test]
    public void Should_note_each_difference_once()
    {
        var state = After(Report(), Report(amount: 99m));

        Assert.Multiple(() =>
        {
            Assert.That(PaymentDecider.Decide(Report(amount: 99m), state).Events, Is.Empty);
            Assert.That(PaymentDecider.Decide(Report(fee: 2m), state).Events, Has.Count.EqualTo(1));
            Assert.That(state.Payment!.Amount, Is.EqualTo(120.50m), "the first report stands");
        });
    }

    [Test]
    public void Should_count_each_event_in_the_version_an_append_builds_on()
    {
        Assert.That(After(Report(), Report(amount: 1m), Failure()).Version, Is.EqualTo(3));
    }
}
