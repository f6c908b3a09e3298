using ReconMesh.Contracts.Payments;
using ReconMesh.Sandbox.Platform;

namespace ReconMesh.UnitTests.Payments;

[TestFixture]
public sealed class When_the_platform_simulator_charges_fees
{
    [TestCase(PaymentMethod.Card, "100.00", "3.20")]
    [TestCase(PaymentMethod.Card, "10.50", "0.60")] // 0.3045 + 0.30 = 0.6045 -> 0.60
    [TestCase(PaymentMethod.Ach, "100.00", "0.80")]
    [TestCase(PaymentMethod.Ach, "10000.00", "5.00")] // capped
    [TestCase(PaymentMethod.Installments, "250.00", "7.50")]
    [TestCase(PaymentMethod.Ach, "0.625", "0.01")] // 0.005 rounds half away from zero
    public void Should_round_to_the_cent_half_away_from_zero(PaymentMethod method, string amount, string fee) =>
        Assert.That(Fees.For(method, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo(decimal.Parse(fee, System.Globalization.CultureInfo.InvariantCulture)));
}
