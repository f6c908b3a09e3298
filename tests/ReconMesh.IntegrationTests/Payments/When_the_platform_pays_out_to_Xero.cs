using System.Text.Json;
using ReconMesh.Contracts.Payouts;
using ReconMesh.IntegrationTests.Infrastructure;
using static ReconMesh.IntegrationTests.Payments.XeroSandbox;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// A payout recorded in Xero (the simulator, over HTTP) through the whole mesh: the fees spent from the platform's
/// clearing account to the fees account, the payout's amount transferred from the clearing account to the bank, so the
/// clearing account is back to zero and the bank up by exactly the payout; delivered twice, recorded once; a payment
/// charged back after its payout deleted, and taken back by the next payout with nothing reinstated.
/// </summary>
[TestFixture]
public sealed class When_the_platform_pays_out_to_Xero
{
    private XeroScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await XeroScenarioHarness.StartAsync(invoices: 10, recordDeposits: true);

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task A_payout_is_a_spend_of_its_fees_and_a_transfer_of_its_amount_and_the_clearing_account_is_back_to_zero()
    {
        var paid = new List<Contracts.Payments.PaymentProcessed>();
        foreach (var invoice in new[] { await _mesh.TakeInvoiceAsync(), await _mesh.TakeInvoiceAsync() })
        {
            var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
            await _mesh.SettledAsync(payment, "Applied");
            paid.Add(payment);
        }

        var before = await _mesh.BooksAsync();
        var payout = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", paid.Sum(p => p.Amount - p.Fee),
            [.. paid.Select(p => new PayoutPayment(p.PaymentId, p.Amount, p.Fee))], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(payout);
        await _mesh.PlatformBus.Publish(payout);

        var outcome = await PaymentScenarioHarness.PayoutOutcomeAsync(_mesh.Writeback, _mesh.Tenant, payout.PayoutId);
        var books = await _mesh.BooksAsync();
        var fees = paid.Sum(p => p.Fee);
        Assert.That(outcome.GetProperty("outcome").GetString(), Is.EqualTo("Deposited"), outcome.ToString());
        Assert.That(Transfers(books, payout.PayoutId).Select(t => (t.GetProperty("fromCode").GetString(), t.GetProperty("toCode").GetString(),
            t.GetProperty("amount").GetDecimal())), Is.EqualTo(new[] { (PlatformClearingAccount, BankAccount, payout.Amount) }));
        Assert.That(Spends(books, payout.PayoutId).Select(t => t.GetProperty("total").GetDecimal()), Is.EqualTo(new[] { fees }));
        Assert.That(Balance(books, PlatformClearingAccount), Is.Zero, "every payment written, less the fees and the payout");
        Assert.That(Balance(books, BankAccount) - Balance(before, BankAccount), Is.EqualTo(payout.Amount));
        Assert.That(Balance(books, FeesAccount) - Balance(before, FeesAccount), Is.EqualTo(fees));
    }

    [Test]
    public async Task A_payment_charged_back_after_its_payout_is_deleted_and_the_payout_that_takes_it_back_leaves_the_clearing_account_at_zero()
    {
        var (charged, kept) = (await _mesh.TakeInvoiceAsync(), await _mesh.TakeInvoiceAsync());
        var (small, large) = charged.Total < kept.Total ? (charged, kept) : (kept, charged);
        var payment = await _mesh.PayAsync((small.InvoiceId, small.Total));
        await _mesh.SettledAsync(payment, "Applied");
        var first = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", payment.Amount - payment.Fee,
            [new PayoutPayment(payment.PaymentId, payment.Amount, payment.Fee)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(first);
        Assert.That((await PaymentScenarioHarness.PayoutOutcomeAsync(_mesh.Writeback, _mesh.Tenant, first.PayoutId)).GetProperty("outcome").GetString(),
            Is.EqualTo("Deposited"));

        await _mesh.PlatformBus.Publish(new Contracts.Payments.PaymentChargedBack(payment.PaymentId, _mesh.Tenant, $"dp_{Guid.NewGuid():N}", "USD",
            payment.Amount, "10.4", "Fraud: card absent environment", DateTimeOffset.UtcNow));
        await _mesh.SettledAsync(payment, "Reversed");
        var next = await _mesh.PayAsync((large.InvoiceId, large.Total));
        await _mesh.SettledAsync(next, "Applied");
        var before = await _mesh.BooksAsync();
        var second = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", next.Amount - next.Fee - payment.Amount,
            [new PayoutPayment(next.PaymentId, next.Amount, next.Fee)], DateTimeOffset.UtcNow,
            [new PayoutReversal(payment.PaymentId, payment.Amount, Contracts.Payments.PaymentReversalKind.ChargedBack)]);
        await _mesh.PlatformBus.Publish(second);

        var outcome = await PaymentScenarioHarness.PayoutOutcomeAsync(_mesh.Writeback, _mesh.Tenant, second.PayoutId);
        var books = await _mesh.BooksAsync();
        Assert.That(outcome.GetProperty("outcome").GetString(), Is.EqualTo("Deposited"), outcome.ToString());
        Assert.That(Balance(before, PlatformClearingAccount), Is.EqualTo(next.Amount - payment.Amount), "the deleted payment is owed back to the platform");
        Assert.That(Balance(books, PlatformClearingAccount), Is.Zero);
        Assert.That(Balance(books, BankAccount) - Balance(before, BankAccount), Is.EqualTo(second.Amount));
        Assert.That(Invoice(books, small.ExternalId).GetProperty("amountDue").GetDecimal(), Is.EqualTo(small.Total), "the customer owes it again");
    }

    [Test]
    public async Task Two_copies_of_a_payouts_acceptance_at_once_record_it_once()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.SettledAsync(payment, "Applied");
        var payoutId = $"po_{Guid.NewGuid():N}";
        // What the relay's redelivery can hand WritebackService: the same acceptance twice, taken by two consumers at once.
        var accepted = new PayoutAccepted(EventSourcing.Identity.MeshIds.Payout(_mesh.Tenant, payoutId), payoutId, _mesh.Tenant, "USD",
            payment.Amount - payment.Fee, [new PayoutPayment(payment.PaymentId, payment.Amount, payment.Fee)], DateTimeOffset.UtcNow);

        // Each Xero call takes a while, so the two copies' looks before writing overlap.
        await SandboxFaults.DuringAsync(_mesh.Sandbox, "xero", new { latencyMs = 300 }, async () =>
        {
            await Task.WhenAll(_mesh.PlatformBus.Publish(accepted), _mesh.PlatformBus.Publish(accepted));
            await PaymentScenarioHarness.PayoutOutcomeAsync(_mesh.Writeback, _mesh.Tenant, payoutId);
        });

        var books = await _mesh.BooksAsync();
        Assert.That(Transfers(books, payoutId), Has.Count.EqualTo(1));
        Assert.That(Spends(books, payoutId), Has.Count.EqualTo(1));
    }

    private static List<JsonElement> Transfers(JsonElement books, string payoutId) =>
        [.. books.GetProperty("bankTransfers").EnumerateArray().Where(t => t.GetProperty("reference").GetString()!.Contains(payoutId, StringComparison.Ordinal))];

    private static List<JsonElement> Spends(JsonElement books, string payoutId) =>
        [.. books.GetProperty("bankTransactions").EnumerateArray().Where(t => t.GetProperty("reference").GetString()!.Contains(payoutId, StringComparison.Ordinal)
            && t.GetProperty("type").GetString() == "SPEND" && t.GetProperty("status").GetString() != "DELETED")];
}
