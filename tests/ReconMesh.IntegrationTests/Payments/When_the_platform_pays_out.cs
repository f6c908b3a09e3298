using System.Net.Http.Json;
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
        // A card payment whose fee was passed on: the customer paid the invoice and a surcharge, and gets both back.
        const decimal surcharge = 2.50m;
        // The platform only pays out a positive amount: the refunded payment is the smaller one.
        var pair = new[] { await _mesh.TakeInvoiceAsync(), await _mesh.TakeInvoiceAsync() }.OrderBy(i => i.Total).ToArray();
        var (refundedInvoice, paidInvoice) = (pair[0], pair[1]);
        var refunded = new PaymentProcessed($"pay_{Guid.NewGuid():N}", _mesh.Tenant, PaymentMethod.Card, "USD", refundedInvoice.Total, 1.00m,
            [new PaymentAllocation(refundedInvoice.InvoiceId, refundedInvoice.Total)], DateTimeOffset.UtcNow, surcharge);
        await _mesh.PlatformBus.Publish(refunded);
        await _mesh.SettledAsync(refunded, "Applied");
        var charged = refunded.Amount + surcharge;
        var first = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", charged - 1.00m,
            [new PayoutPayment(refunded.PaymentId, refunded.Amount, 1.00m, surcharge)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(first);
        await Eventually.Until(_mesh.BooksAsync, b => Deposits(b).Any(d => d.GetProperty("totalAmt").GetDecimal() == first.Amount), "the first deposit");
        var before = await _mesh.BooksAsync();

        // Deposited, so QuickBooks will not let the payment be voided (6540): the amount is reinstated instead.
        await _mesh.PlatformBus.Publish(new PaymentRefunded(refunded.PaymentId, _mesh.Tenant, $"re_{Guid.NewGuid():N}", "USD", charged,
            "Service cancelled", DateTimeOffset.UtcNow));
        var settled = await _mesh.SettledAsync(refunded, "Reversed");
        var afterRefund = await _mesh.BooksAsync();

        // The next payout takes the refund back from a new payment's money.
        var paid = await _mesh.PayAsync((paidInvoice.InvoiceId, paidInvoice.Total));
        await _mesh.SettledAsync(paid, "Applied");
        var second = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", paid.Amount - 2.00m - charged,
            [new PayoutPayment(paid.PaymentId, paid.Amount, 2.00m)], DateTimeOffset.UtcNow,
            [new PayoutReversal(refunded.PaymentId, charged, PaymentReversalKind.Refunded)]);
        await _mesh.PlatformBus.Publish(second);
        var books = await Eventually.Until(_mesh.BooksAsync, b => Deposits(b).Count == Deposits(before).Count + 1, "the second deposit");

        var reinstatement = books.GetProperty("invoices").EnumerateArray()
            .Single(i => i.GetProperty("docNumber").GetString()?.StartsWith("RMR-", StringComparison.Ordinal) == true
                && Payments(books, [refunded.PaymentId]).Any(p => "RMR-" + p.GetProperty("id").GetString() == i.GetProperty("docNumber").GetString()));
        var deposit = Deposits(books).Single(d => !Deposits(before).Any(b => b.GetProperty("id").GetString() == d.GetProperty("id").GetString()));
        Assert.That(Payments(books, [refunded.PaymentId]).Single().GetProperty("depositId").GetString(), Is.Not.Null, "the deposited payment stays as it was");
        Assert.That(Invoice(books, refundedInvoice.ExternalId).GetProperty("balance").GetDecimal(), Is.Zero, "history is not edited");
        Assert.That(reinstatement.GetProperty("balance").GetDecimal(), Is.EqualTo(refunded.Amount), "the customer owes the invoice's amount again, no surcharge");
        Assert.That(Account(afterRefund, ReversalsClearing), Is.EqualTo(-charged), "credited by the reinstatement");
        Assert.That(Account(afterRefund, SurchargeIncome) - Account(before, SurchargeIncome), Is.EqualTo(-surcharge), "the surcharge income given back");
        Assert.That(deposit.GetProperty("totalAmt").GetDecimal(), Is.EqualTo(second.Amount), "the deposit equals the payout");
        Assert.That(Account(books, ReversalsClearing), Is.Zero, "cleared when the payout took the refund back");
        Assert.That(Account(books, "Checking") - Account(before, "Checking"), Is.EqualTo(second.Amount));
        Assert.That(Story(settled), Is.EqualTo(new[] { "payment_written_back", "payment_reversed_in_integration" }));
    }

    [Test]
    public async Task A_surcharge_is_income_on_an_invoice_of_its_own_deposited_with_its_payment_and_undone_by_a_refund()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var surcharge = decimal.Round(invoice.Total * 0.029m + 0.30m, 2, MidpointRounding.AwayFromZero);
        var before = await _mesh.BooksAsync();
        var payment = new PaymentProcessed($"pay_{Guid.NewGuid():N}", _mesh.Tenant, PaymentMethod.Card, "USD", invoice.Total, surcharge,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Total)], DateTimeOffset.UtcNow, surcharge);
        await _mesh.PlatformBus.Publish(payment);
        await _mesh.SettledAsync(payment, "Applied");
        var written = await _mesh.BooksAsync();

        var payout = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", invoice.Total,
            [new PayoutPayment(payment.PaymentId, payment.Amount, payment.Fee, surcharge)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(payout);
        var deposited = await Eventually.Until(_mesh.BooksAsync, b => Deposits(b).Count == Deposits(before).Count + 1, "the payout's deposit");

        var booked = Payments(written, [payment.PaymentId]).Single();
        var surchargeInvoice = written.GetProperty("invoices").EnumerateArray()
            .Single(i => booked.GetProperty("lines").EnumerateArray().Any(l => l.GetProperty("invoiceId").GetString() == i.GetProperty("id").GetString())
                && i.GetProperty("id").GetString() != invoice.ExternalId);
        Assert.That(booked.GetProperty("totalAmt").GetDecimal(), Is.EqualTo(invoice.Total + surcharge), "one Payment of what the customer was charged");
        Assert.That(booked.GetProperty("unappliedAmt").GetDecimal(), Is.Zero, "no surcharge left as unapplied credit");
        Assert.That(Invoice(written, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.Zero);
        Assert.That(surchargeInvoice.GetProperty("docNumber").GetString(), Does.StartWith("RMS-"));
        Assert.That(surchargeInvoice.GetProperty("totalAmt").GetDecimal(), Is.EqualTo(surcharge));
        Assert.That(surchargeInvoice.GetProperty("balance").GetDecimal(), Is.Zero);
        Assert.That(Account(written, SurchargeIncome) - Account(before, SurchargeIncome), Is.EqualTo(surcharge), "the surcharge is income");
        Assert.That(Deposits(deposited).Last().GetProperty("totalAmt").GetDecimal(), Is.EqualTo(payout.Amount), "the deposit equals the payout");
        Assert.That(Account(deposited, "ReconMesh Payment Fees") - Account(before, "ReconMesh Payment Fees"), Is.Zero, "the customer paid the fee");
        Assert.That(Account(deposited, SurchargeIncome) - Account(before, SurchargeIncome), Is.EqualTo(surcharge - payment.Fee),
            "the fee the platform kept comes off the surcharge it paid for");
    }

    [Test]
    public async Task A_refund_of_a_surcharged_payment_not_yet_deposited_voids_the_payment_and_the_surcharge()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var surcharge = 3.20m;
        var before = await _mesh.BooksAsync();
        var payment = new PaymentProcessed($"pay_{Guid.NewGuid():N}", _mesh.Tenant, PaymentMethod.Card, "USD", invoice.Total, surcharge,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Total)], DateTimeOffset.UtcNow, surcharge);
        await _mesh.PlatformBus.Publish(payment);
        await _mesh.SettledAsync(payment, "Applied");

        await _mesh.PlatformBus.Publish(new PaymentRefunded(payment.PaymentId, _mesh.Tenant, $"re_{Guid.NewGuid():N}", "USD", invoice.Total + surcharge,
            "Customer cancelled", DateTimeOffset.UtcNow));
        await _mesh.SettledAsync(payment, "Reversed");
        var books = await _mesh.BooksAsync();

        Assert.That(Invoice(books, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.EqualTo(invoice.Total), "owed again");
        Assert.That(LivePaymentsFor(books, invoice.ExternalId), Is.Empty);
        Assert.That(Account(books, SurchargeIncome) - Account(before, SurchargeIncome), Is.Zero, "no surcharge income is left");
        Assert.That(books.GetProperty("invoices").EnumerateArray().Where(i => i.GetProperty("docNumber").GetString()?.StartsWith("RMS-", StringComparison.Ordinal) == true
            && i.GetProperty("balance").GetDecimal() != 0m), Is.Empty, "no surcharge is owed for money that did not stay paid");
    }

    [Test]
    public async Task A_payout_that_settles_a_payment_already_deposited_deposits_nothing_and_says_why()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.SettledAsync(payment, "Applied");
        var first = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", payment.Amount - 1.00m,
            [new PayoutPayment(payment.PaymentId, payment.Amount, 1.00m)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(first);
        var deposited = await _mesh.PayoutOutcomeAsync(first.PayoutId);
        var before = await _mesh.BooksAsync();

        var again = first with { PayoutId = $"po_{Guid.NewGuid():N}" };
        await _mesh.PlatformBus.Publish(again);
        var refused = await _mesh.PayoutOutcomeAsync(again.PayoutId);

        Assert.That(deposited.GetProperty("outcome").GetString(), Is.EqualTo("Deposited"));
        Assert.That(refused.GetProperty("outcome").GetString(), Is.EqualTo("NeedsAttention"));
        Assert.That(refused.GetProperty("reasonCode").GetString(), Is.EqualTo("payment-already-settled"));
        Assert.That(refused.GetProperty("reason").GetString(), Does.Contain(first.PayoutId));
        Assert.That(Deposits(await _mesh.BooksAsync()), Has.Count.EqualTo(Deposits(before).Count), "nothing deposited twice");
    }


    private const string SurchargeIncome = "ReconMesh Surcharge Income";

    private const string ReversalsClearing = "ReconMesh Reversals Clearing";

    private static List<JsonElement> Deposits(JsonElement books) => [.. books.GetProperty("deposits").EnumerateArray()];

    /// <summary>The QuickBooks Payments ReconMesh booked for these platform payments (their note names the platform id).</summary>
    private static List<JsonElement> Payments(JsonElement books, IEnumerable<string> platformIds) =>
        [.. books.GetProperty("payments").EnumerateArray()
            .Where(p => platformIds.Any(id => p.GetProperty("privateNote").GetString()?.Contains(id, StringComparison.Ordinal) == true))];

}
