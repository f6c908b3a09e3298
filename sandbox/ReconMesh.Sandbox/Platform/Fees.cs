using ReconMesh.Contracts.Payments;

namespace ReconMesh.Sandbox.Platform;

/// <summary>
/// The simulated platform's processing fees. Rounded to the cent, half away from zero, once per payment.
/// Card: 2.9% + 0.30; ACH: 0.8% capped at 5.00; pay in installments: 3.0% (the 30-day plan).
/// </summary>
public static class Fees
{
    public static decimal For(PaymentMethod method, decimal amount) => method switch
    {
        PaymentMethod.Card => Cents(amount * 0.029m + 0.30m),
        PaymentMethod.Ach => Math.Min(5.00m, Cents(amount * 0.008m)),
        PaymentMethod.Installments => Cents(amount * 0.03m),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown payment method"),
    };

    private static decimal Cents(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero);
}
