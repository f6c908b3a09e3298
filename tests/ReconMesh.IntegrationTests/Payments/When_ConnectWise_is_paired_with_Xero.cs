using System.Globalization;
using System.Text.Json;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using static ReconMesh.IntegrationTests.Payments.XeroSandbox;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// A PSA paired with Xero, through the same seams as with QuickBooks: ConnectWise is the source of truth for invoices
/// and gets the payment and the Closed status; Xero, where the same invoices were raised under the same numbers, gets a
/// payment into the clearing account, and each payout as a spend of its fees and a transfer to the bank. A failure after
/// both were written reverses both; an invoice Xero does not have is an exception and nothing is written to either.
/// </summary>
[TestFixture]
public sealed class When_ConnectWise_is_paired_with_Xero
{
    private ConnectWiseScenarioHarness _mesh = null!;
    private List<InvoiceSynced> _site = null!;

    private XeroSandbox Xero => _mesh.Xero!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await ConnectWiseScenarioHarness.StartPairedWithXeroAsync(invoices: 10);
        _site = [.. (await _mesh.PlatformInvoicesAsync()).OrderBy(i => int.Parse(i.ExternalId, CultureInfo.InvariantCulture))];
    }

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task A_payment_closes_the_ConnectWise_invoice_and_pays_its_Xero_twin_and_a_payout_is_transferred_in_Xero()
    {
        var invoice = _site[0];
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await _mesh.SettledAsync(payment, "Applied");
        var before = await Xero.BooksAsync();
        var payout = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", payment.Amount - payment.Fee,
            [new PayoutPayment(payment.PaymentId, payment.Amount, payment.Fee)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(payout);
        var deposited = await PayoutOutcomeAsync(payout.PayoutId);

        var site = await _mesh.BooksAsync();
        var books = await Xero.BooksAsync();
        var twin = Twin(books, invoice);
        Assert.That(ConnectWiseSandbox.Invoice(site, invoice.ExternalId).GetProperty("closed").GetBoolean(), Is.True, "ConnectWise: Closed");
        Assert.That(ConnectWiseSandbox.PaymentsFor(site, invoice.ExternalId), Has.Count.EqualTo(1));
        Assert.That(twin.GetProperty("status").GetString(), Is.EqualTo("PAID"), "Xero: the invoice of the same number is paid");
        Assert.That(PaymentsFor(books, twin.GetProperty("invoiceId").GetString()!).Select(p => (p.GetProperty("accountCode").GetString(),
            p.GetProperty("amount").GetDecimal())), Is.EqualTo(new[] { (PlatformClearingAccount, invoice.Total) }), "into the clearing account");
        Assert.That(PaymentScenarioHarness.Story(settled), Is.EqualTo(new[] { "payment_written_back", "payment_written_back" }), "one per system");
        Assert.That(deposited.GetProperty("outcome").GetString(), Is.EqualTo("Deposited"), deposited.ToString());
        Assert.That(books.GetProperty("bankTransfers").EnumerateArray().Where(t => Mentions(t, payout.PayoutId))
            .Select(t => (t.GetProperty("fromCode").GetString(), t.GetProperty("toCode").GetString(), t.GetProperty("amount").GetDecimal())),
            Is.EqualTo(new[] { (PlatformClearingAccount, BankAccount, payout.Amount) }), "the payout is one transfer to the bank");
        Assert.That(Balance(books, FeesAccount) - Balance(before, FeesAccount), Is.EqualTo(payment.Fee), "the fee spent to the fees account");
        Assert.That(Balance(books, PlatformClearingAccount), Is.Zero);
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
        var books = await Xero.BooksAsync();
        var twin = Twin(books, invoice);
        Assert.That(ConnectWiseSandbox.Invoice(site, invoice.ExternalId).GetProperty("closed").GetBoolean(), Is.False);
        Assert.That(ConnectWiseSandbox.PaymentsFor(site, invoice.ExternalId), Is.Empty);
        Assert.That(twin.GetProperty("amountDue").GetDecimal(), Is.EqualTo(invoice.Total));
        Assert.That(twin.GetProperty("status").GetString(), Is.EqualTo("AUTHORISED"));
        Assert.That(PaymentsFor(books, twin.GetProperty("invoiceId").GetString()!), Is.Empty, "the Xero payment deleted");
        Assert.That(PaymentScenarioHarness.Story(settled).Count(e => e == "payment_reversed_in_integration"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_refund_after_its_payout_reopens_both_and_the_payout_that_takes_it_back_leaves_the_clearing_account_at_zero()
    {
        // The smaller is refunded, so the payout that takes it back out of the larger is above zero.
        var (refunded, next) = _site[2].Total < _site[3].Total ? (_site[2], _site[3]) : (_site[3], _site[2]);
        var payment = await _mesh.PayAsync((refunded.InvoiceId, refunded.Total));
        await _mesh.SettledAsync(payment, "Applied");
        var first = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", payment.Amount - payment.Fee,
            [new PayoutPayment(payment.PaymentId, payment.Amount, payment.Fee)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(first);
        await PayoutOutcomeAsync(first.PayoutId);

        await _mesh.PlatformBus.Publish(new PaymentRefunded(payment.PaymentId, _mesh.Tenant, $"re_{Guid.NewGuid():N}", "USD", payment.Amount,
            "Service cancelled", DateTimeOffset.UtcNow));
        await _mesh.SettledAsync(payment, "Reversed");
        var later = await _mesh.PayAsync((next.InvoiceId, next.Total));
        await _mesh.SettledAsync(later, "Applied");
        var second = new PayoutPaid($"po_{Guid.NewGuid():N}", _mesh.Tenant, "USD", later.Amount - later.Fee - payment.Amount,
            [new PayoutPayment(later.PaymentId, later.Amount, later.Fee)], DateTimeOffset.UtcNow,
            [new PayoutReversal(payment.PaymentId, payment.Amount, PaymentReversalKind.Refunded)]);
        await _mesh.PlatformBus.Publish(second);
        var outcome = await PayoutOutcomeAsync(second.PayoutId);

        var site = await _mesh.BooksAsync();
        var books = await Xero.BooksAsync();
        Assert.That(outcome.GetProperty("outcome").GetString(), Is.EqualTo("Deposited"), outcome.ToString());
        Assert.That(ConnectWiseSandbox.Invoice(site, refunded.ExternalId).GetProperty("balance").GetDecimal(), Is.EqualTo(refunded.Total),
            "ConnectWise: owed again");
        Assert.That(Twin(books, refunded).GetProperty("amountDue").GetDecimal(), Is.EqualTo(refunded.Total), "Xero: the payment deleted, owed again");
        Assert.That(Balance(books, PlatformClearingAccount), Is.Zero, "the reversal netted by the payout that took it back");
    }

    [Test]
    public async Task A_payment_Xero_refused_after_ConnectWise_took_it_is_reversed_in_ConnectWise_when_the_platform_takes_it_back()
    {
        var invoice = _site[4];
        await Xero.PayByHandAsync(Twin(await Xero.BooksAsync(), invoice).GetProperty("invoiceId").GetString()!, invoice.Total);

        await _mesh.ProveAHalfWrittenPaymentReturnedIsReversedInConnectWiseAsync(invoice);
    }

    [Test]
    public async Task An_invoice_Xero_lacks_needs_attention_and_nothing_is_written_to_either()
    {
        var invoice = _site[^1];
        var before = await Xero.BooksAsync();
        var payment = await _mesh.PayAsync((invoice.InvoiceId, invoice.Total));
        var settled = await _mesh.SettledAsync(payment, "NeedsAttention");

        Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo("secondary-invoice-missing"));
        Assert.That(settled.GetProperty("reason").GetString(), Does.Contain(invoice.Number).And.Contain("Xero"));
        Assert.That(ConnectWiseSandbox.PaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Is.Empty, "nothing in ConnectWise");
        Assert.That((await Xero.BooksAsync()).GetProperty("payments").GetArrayLength(), Is.EqualTo(before.GetProperty("payments").GetArrayLength()),
            "nothing in Xero");
    }

    /// <summary>The Xero invoice with the ConnectWise invoice's number.</summary>
    private static JsonElement Twin(JsonElement books, InvoiceSynced invoice) =>
        books.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("invoiceNumber").GetString() == invoice.Number);

    private static bool Mentions(JsonElement record, string id) => record.GetProperty("reference").GetString()?.Contains(id, StringComparison.Ordinal) == true;

    private Task<JsonElement> PayoutOutcomeAsync(string payoutId) => PaymentScenarioHarness.PayoutOutcomeAsync(_mesh.Writeback, _mesh.Tenant, payoutId);
}
