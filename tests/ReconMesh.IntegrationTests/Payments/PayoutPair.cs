using System.Text.Json;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// Two payouts of one applied payment, for an operator to look at: the first deposited for exactly its amount (matched),
/// the second settling the same payment again, so nothing is deposited and it needs a person (payment-already-settled).
/// </summary>
public static class PayoutPair
{
    public sealed record Pair(PaymentProcessed Payment, PayoutPaid Matched, PayoutPaid Unmatched, JsonElement MatchedOutcome);

    public static async Task<Pair> PaidOutTwiceAsync(PaymentScenarioHarness mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        var invoice = await mesh.TakeInvoiceAsync();
        var payment = await mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await mesh.SettledAsync(payment, "Applied");

        var matched = Payout(mesh, payment, DateTimeOffset.UtcNow.AddMinutes(-2));
        await mesh.PlatformBus.Publish(matched);
        var outcome = await mesh.PayoutOutcomeAsync(matched.PayoutId);
        Assert.That(outcome.GetProperty("outcome").GetString(), Is.EqualTo("Deposited"));

        var unmatched = Payout(mesh, payment, DateTimeOffset.UtcNow);
        await mesh.PlatformBus.Publish(unmatched);
        var refused = await mesh.PayoutOutcomeAsync(unmatched.PayoutId);
        Assert.That(refused.GetProperty("reasonCode").GetString(), Is.EqualTo("payment-already-settled"));
        return new Pair(payment, matched, unmatched, outcome);
    }

    private static PayoutPaid Payout(PaymentScenarioHarness mesh, PaymentProcessed payment, DateTimeOffset paidAt) =>
        new($"po_{Guid.NewGuid():N}", mesh.Tenant, "USD", payment.Amount - payment.Fee, [new PayoutPayment(payment.PaymentId, payment.Amount, payment.Fee)], paidAt);
}
