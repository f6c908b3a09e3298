using System.Globalization;
using System.Text.Json;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using static ReconMesh.IntegrationTests.Payments.ConnectWiseSandbox;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// A PSA paired with an accounting system: ConnectWise is the source of truth for invoices and gets the payment and
/// the Closed status; QuickBooks, where the same invoices were posted under the same numbers, gets the Payment and the
/// deposits. An invoice QuickBooks does not have, or has twice, is an exception and nothing is written to either.
/// </summary>
[TestFixture]
public sealed class When_ConnectWise_is_paired_with_QuickBooks
{
    private ConnectWiseScenarioHarness _mesh = null!;
    private List<InvoiceSynced> _site = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await ConnectWiseScenarioHarness.StartAsync(invoices: 12, pairWithQuickBooks: true);
        _site = [.. (await _mesh.PlatformInvoicesAsync()).OrderBy(i => int.Parse(i.ExternalId, CultureInfo.InvariantCulture))];
    }

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task A_payment_closes_the_ConnectWise_invoice_and_pays_its_QuickBooks_twin_and_a_payout_is_deposited_in_QuickBooks()
    {
        var invoice = _site[0];
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await _mesh.SettledAsync(payment, "Applied");
        var payout = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", payment.Amount - payment.Fee,
            [new PayoutPayment(payment.PaymentId, payment.Amount, payment.Fee)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(payout);
        var deposited = await PayoutOutcomeAsync(payout.PayoutId);

        var site = await _mesh.BooksAsync();
        var company = await _mesh.QuickBooksBooksAsync();
        var twin = Twin(company, invoice);
        Assert.That(Invoice(site, invoice.ExternalId).GetProperty("closed").GetBoolean(), Is.True, "ConnectWise: Closed");
        Assert.That(PaymentsFor(site, invoice.ExternalId), Has.Count.EqualTo(1));
        Assert.That(twin.GetProperty("balance").GetDecimal(), Is.Zero, "QuickBooks: the invoice of the same number is paid");
        Assert.That(PaymentScenarioHarness.LivePaymentsFor(company, twin.GetProperty("id").GetString()!), Has.Count.EqualTo(1));
        Assert.That(PaymentScenarioHarness.Story(settled), Is.EqualTo(new[] { "payment_written_back", "payment_written_back" }), "one per system");
        Assert.That(deposited.GetProperty("outcome").GetString(), Is.EqualTo("Deposited"));
        Assert.That(company.GetProperty("deposits").EnumerateArray()
            .Single(d => d.GetProperty("id").GetString() == deposited.GetProperty("externalDepositId").GetString())
            .GetProperty("totalAmt").GetDecimal(), Is.EqualTo(payout.Amount));
    }

    [Test]
    public async Task An_ACH_return_reverts_both_systems()
    {
        var invoice = _site[1];
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.SettledAsync(payment, "Applied");

        await _mesh.FailAsync(payment, "R01");
        var settled = await _mesh.SettledAsync(payment, "Reversed");

        var site = await _mesh.BooksAsync();
        var company = await _mesh.QuickBooksBooksAsync();
        Assert.That(Invoice(site, invoice.ExternalId).GetProperty("closed").GetBoolean(), Is.False);
        Assert.That(PaymentsFor(site, invoice.ExternalId), Is.Empty);
        Assert.That(Twin(company, invoice).GetProperty("balance").GetDecimal(), Is.EqualTo(invoice.Total));
        Assert.That(PaymentScenarioHarness.LivePaymentsFor(company, Twin(company, invoice).GetProperty("id").GetString()!), Is.Empty);
        Assert.That(PaymentScenarioHarness.Story(settled).Count(e => e == "payment_reversed_in_integration"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_refund_after_deposit_reopens_the_ConnectWise_invoice_and_reinstates_the_amount_in_QuickBooks()
    {
        var invoice = _site[2];
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        await _mesh.SettledAsync(payment, "Applied");
        var payout = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", payment.Amount - payment.Fee,
            [new PayoutPayment(payment.PaymentId, payment.Amount, payment.Fee)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(payout);
        await PayoutOutcomeAsync(payout.PayoutId);

        await _mesh.PlatformBus.Publish(new PaymentRefunded(payment.PaymentId, _mesh.Tenant, $"re_{Guid.NewGuid():N}", "USD", payment.Amount,
            "Service cancelled", DateTimeOffset.UtcNow));
        await _mesh.SettledAsync(payment, "Reversed");

        var site = await _mesh.BooksAsync();
        var company = await _mesh.QuickBooksBooksAsync();
        Assert.That(Invoice(site, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.EqualTo(invoice.Total), "ConnectWise: owed again");
        Assert.That(company.GetProperty("invoices").EnumerateArray().Where(i => i.GetProperty("docNumber").GetString()!.StartsWith("RMR-", StringComparison.Ordinal))
            .Select(i => i.GetProperty("balance").GetDecimal()), Is.EqualTo(new[] { invoice.Total }), "QuickBooks: reinstated, the deposit untouched");
    }

    [Test]
    public async Task A_payment_QuickBooks_refused_after_ConnectWise_took_it_is_reversed_in_ConnectWise_when_the_platform_takes_it_back()
    {
        // ConnectWise takes the payment; QuickBooks, where a bookkeeper recorded a cheque meanwhile, refuses it: half
        // written, a person's work. Then the ACH payment is returned: what ConnectWise holds must not stay booked.
        var invoice = _site[3];
        await _mesh.PayByChequeInQuickBooksAsync(Twin(await _mesh.QuickBooksBooksAsync(), invoice).GetProperty("id").GetString()!, invoice.Total);

        await _mesh.ProveAHalfWrittenPaymentReturnedIsReversedInConnectWiseAsync(invoice);
    }

    [TestCase(1, "secondary-invoice-missing")]
    [TestCase(2, "secondary-invoice-ambiguous")]
    public async Task An_invoice_QuickBooks_lacks_or_has_twice_needs_attention_and_nothing_is_written_to_either(int fromEnd, string reasonCode)
    {
        var invoice = _site[^fromEnd];
        var before = await _mesh.QuickBooksBooksAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await _mesh.SettledAsync(payment, "NeedsAttention");

        Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo(reasonCode));
        Assert.That(settled.GetProperty("reason").GetString(), Does.Contain(invoice.Number));
        Assert.That(PaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Is.Empty, "nothing in ConnectWise");
        Assert.That((await _mesh.QuickBooksBooksAsync()).GetProperty("payments").GetArrayLength(), Is.EqualTo(before.GetProperty("payments").GetArrayLength()),
            "nothing in QuickBooks");
    }

    /// <summary>The QuickBooks invoice with the ConnectWise invoice's number (the first, where there are two).</summary>
    private static JsonElement Twin(JsonElement company, InvoiceSynced invoice) =>
        company.GetProperty("invoices").EnumerateArray().First(i => i.GetProperty("docNumber").GetString() == invoice.Number);

    private Task<JsonElement> PayoutOutcomeAsync(string payoutId) => PaymentScenarioHarness.PayoutOutcomeAsync(_mesh.Writeback, _mesh.Tenant, payoutId);
}
