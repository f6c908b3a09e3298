using System.Text.Json;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.IntegrationTests.Infrastructure;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// A payout becomes one deposit into the connection's bank account that equals it to the cent: its payments leave
/// Undeposited Funds, the absorbed fees land on the fees account, and a payout delivered twice is deposited once.
/// </summary>
[TestFixture]
public sealed class When_the_platform_pays_out
{
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await PaymentScenarioHarness.StartAsync(invoices: 12);

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task Should_record_one_deposit_equal_to_the_payout_with_fees_on_their_own_line()
    {
        var paid = new List<(string PaymentId, decimal Amount, decimal Fee)>();
        for (var i = 0; i < 3; i++)
        {
            var invoice = await _mesh.TakeInvoiceAsync();
            var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
            await _mesh.SettledAsync(payment, "Applied");
            paid.Add((payment.PaymentId, payment.Amount, decimal.Round(payment.Amount * 0.029m + 0.30m, 2, MidpointRounding.AwayFromZero)));
        }

        var before = await _mesh.BooksAsync();
        var payout = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", paid.Sum(p => p.Amount - p.Fee),
            [.. paid.Select(p => new PayoutPayment(p.PaymentId, p.Amount, p.Fee))], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(payout);
        await _mesh.PlatformBus.Publish(payout);

        var books = await Eventually.Until(_mesh.BooksAsync, b => Deposits(b).Any(d => d.GetProperty("totalAmt").GetDecimal() == payout.Amount),
            "the payout's deposit");
        var deposit = Deposits(books).Single(d => d.GetProperty("totalAmt").GetDecimal() == payout.Amount);
        var depositId = deposit.GetProperty("id").GetString();
        var fees = paid.Sum(p => p.Fee);

        Assert.That(Deposits(books), Has.Count.EqualTo(Deposits(before).Count + 1), "delivered twice, deposited once");
        Assert.That(Payments(books, paid.Select(p => p.PaymentId)), Has.Count.EqualTo(3));
        Assert.That(deposit.GetProperty("depositToAccountId").GetString(), Is.EqualTo(CheckingAccountId));
        Assert.That(Payments(books, paid.Select(p => p.PaymentId)).Select(p => p.GetProperty("depositId").GetString()), Is.All.EqualTo(depositId),
            "every settled payment left Undeposited Funds through this deposit");
        Assert.That(deposit.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("paymentId").ValueKind == JsonValueKind.Null)
            .Sum(l => l.GetProperty("amount").GetDecimal()), Is.EqualTo(-fees), "fees on their own line");
        Assert.That(Account(books, "ReconMesh Payment Fees") - Account(before, "ReconMesh Payment Fees"), Is.EqualTo(fees));
        Assert.That(Account(books, "Checking") - Account(before, "Checking"), Is.EqualTo(payout.Amount));
    }

    [Test]
    public async Task A_refund_after_deposit_reinstates_the_amount_and_the_payout_that_takes_it_back_clears_it()
    {
        // The platform only pays out a positive amount: the refunded payment is the smaller one.
        var pair = new[] { await _mesh.TakeInvoiceAsync(), await _mesh.TakeInvoiceAsync() }.OrderBy(i => i.Total).ToArray();
        var (refundedInvoice, paidInvoice) = (pair[0], pair[1]);
        var refunded = await _mesh.PayAsync((refundedInvoice.InvoiceId, refundedInvoice.Total));
        await _mesh.SettledAsync(refunded, "Applied");
        var first = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", refunded.Amount - 1.00m,
            [new PayoutPayment(refunded.PaymentId, refunded.Amount, 1.00m)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(first);
        await Eventually.Until(_mesh.BooksAsync, b => Deposits(b).Any(d => d.GetProperty("totalAmt").GetDecimal() == first.Amount), "the first deposit");
        var before = await _mesh.BooksAsync();

        // Deposited, so QuickBooks will not let the payment be voided (6540): the amount is reinstated instead.
        await _mesh.PlatformBus.Publish(new PaymentRefunded(refunded.PaymentId, _mesh.Tenant, $"re_{Guid.NewGuid():N}", "USD", refunded.Amount,
            "Service cancelled", DateTimeOffset.UtcNow));
        var settled = await _mesh.SettledAsync(refunded, "Reversed");
        var afterRefund = await _mesh.BooksAsync();

        // The next payout takes the refund back from a new payment's money.
        var paid = await _mesh.PayAsync((paidInvoice.InvoiceId, paidInvoice.Total));
        await _mesh.SettledAsync(paid, "Applied");
        var second = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", paid.Amount - 2.00m - refunded.Amount,
            [new PayoutPayment(paid.PaymentId, paid.Amount, 2.00m)], DateTimeOffset.UtcNow,
            [new PayoutReversal(refunded.PaymentId, refunded.Amount, PaymentReversalKind.Refunded)]);
        await _mesh.PlatformBus.Publish(second);
        var books = await Eventually.Until(_mesh.BooksAsync, b => Deposits(b).Count == Deposits(before).Count + 1, "the second deposit");

        var reinstatement = books.GetProperty("invoices").EnumerateArray()
            .Single(i => i.GetProperty("docNumber").GetString()?.StartsWith("RMR-", StringComparison.Ordinal) == true
                && Payments(books, [refunded.PaymentId]).Any(p => "RMR-" + p.GetProperty("id").GetString() == i.GetProperty("docNumber").GetString()));
        var deposit = Deposits(books).Single(d => !Deposits(before).Any(b => b.GetProperty("id").GetString() == d.GetProperty("id").GetString()));
        Assert.That(Payments(books, [refunded.PaymentId]).Single().GetProperty("depositId").GetString(), Is.Not.Null, "the deposited payment stays as it was");
        Assert.That(Invoice(books, refundedInvoice.ExternalId).GetProperty("balance").GetDecimal(), Is.Zero, "history is not edited");
        Assert.That(reinstatement.GetProperty("balance").GetDecimal(), Is.EqualTo(refunded.Amount), "the customer owes the amount again");
        Assert.That(Account(afterRefund, ReversalsClearing), Is.EqualTo(-refunded.Amount), "credited by the reinstatement");
        Assert.That(deposit.GetProperty("totalAmt").GetDecimal(), Is.EqualTo(second.Amount), "the deposit equals the payout");
        Assert.That(Account(books, ReversalsClearing), Is.Zero, "cleared when the payout took the refund back");
        Assert.That(Account(books, "Checking") - Account(before, "Checking"), Is.EqualTo(second.Amount));
        Assert.That(Story(settled), Is.EqualTo(new[] { "payment_written_back", "payment_reversed_in_integration" }));
    }

    private const string ReversalsClearing = "ReconMesh Reversals Clearing";

    private static List<JsonElement> Deposits(JsonElement books) => [.. books.GetProperty("deposits").EnumerateArray()];

    /// <summary>The QuickBooks Payments ReconMesh booked for these platform payments (their note names the platform id).</summary>
    private static List<JsonElement> Payments(JsonElement books, IEnumerable<string> platformIds) =>
        [.. books.GetProperty("payments").EnumerateArray()
            .Where(p => platformIds.Any(id => p.GetProperty("privateNote").GetString()?.Contains(id, StringComparison.Ordinal) == true))];

    private static decimal Account(JsonElement books, string name) =>
        books.GetProperty("accounts").EnumerateArray().Where(a => a.GetProperty("name").GetString() == name)
            .Select(a => a.GetProperty("currentBalance").GetDecimal()).FirstOrDefault();
}
