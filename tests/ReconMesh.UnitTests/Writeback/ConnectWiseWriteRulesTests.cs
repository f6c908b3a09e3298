using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.ConnectWise;

namespace ReconMesh.UnitTests.Writeback;

/// <summary>What a ConnectWise invoice or payment, read again before a write, decides (no calls: the rules alone).</summary>
public sealed class ConnectWiseWriteRulesTests
{
    private static readonly InvoicePortion Portion = new(Guid.NewGuid(), "250", "19", 100m);

    private static ConnectWiseInvoice Invoice(decimal? balance = 250m, string? currency = null, string? number = "INV-250") =>
        new() { Id = 250, InvoiceNumber = number, Balance = balance, Currency = currency is null ? null : new ConnectWiseCurrency { CurrencyCode = currency } };

    [Test]
    public void An_invoice_owing_at_least_the_portion_in_the_payments_currency_can_be_paid()
    {
        Assert.That(ConnectWiseWriteRules.Refusal(Invoice(), Portion, "USD"), Is.Null);
        Assert.That(ConnectWiseWriteRules.Refusal(Invoice(balance: 100m, currency: "usd"), Portion, "USD"), Is.Null);
    }

    [Test]
    public void An_invoice_in_another_currency_or_owing_less_is_refused_by_its_number()
    {
        var currency = ConnectWiseWriteRules.Refusal(Invoice(currency: "EUR"), Portion, "USD");
        var paid = ConnectWiseWriteRules.Refusal(Invoice(balance: null, number: null), Portion, "USD");

        Assert.That(currency, Is.EqualTo(new WritebackOutcome.NeedsAttention("currency-mismatch", "Invoice INV-250 is in EUR, the payment in USD; nothing was written.")));
        Assert.That(paid!.ReasonCode, Is.EqualTo("invoice-balance-changed"));
        Assert.That(paid.Reason, Does.StartWith("Invoice 250 has a balance of 0 in ConnectWise, less than the 100 paid"));
    }

    [Test]
    public void Paying_more_than_the_balance_is_refused_since_a_ConnectWise_payment_holds_no_credit()
    {
        Assert.That(ConnectWiseWriteRules.Refusal(Invoice(balance: 99.99m), Portion, "USD")!.ReasonCode, Is.EqualTo("invoice-balance-changed"));
    }

    [Test]
    public void A_payment_is_our_own_when_its_appliedBy_carries_the_marker()
    {
        const string marker = "ReconMesh payment 0123";

        Assert.That(ConnectWiseWriteRules.IsOwnPayment(new ConnectWisePayment { AppliedBy = "reconmesh PAYMENT 0123" }, marker), Is.True);
        Assert.That(ConnectWiseWriteRules.IsOwnPayment(new ConnectWisePayment { AppliedBy = "jsmith" }, marker), Is.False);
        Assert.That(ConnectWiseWriteRules.IsOwnPayment(new ConnectWisePayment(), marker), Is.False);
    }

    [Test]
    public void Payment_ids_name_their_invoice_and_nothing_else_parses()
    {
        Assert.That(ConnectWisePaymentIds.ExternalId(250, 7), Is.EqualTo("250/7"));
        Assert.That(ConnectWisePaymentIds.Parse("250/7"), Is.EqualTo((250, 7)));
        Assert.Throws<FormatException>(() => ConnectWisePaymentIds.Parse("250"));
        Assert.That((ConnectWisePaymentIds.InvoiceId("250"), ConnectWisePaymentIds.InvoiceId("-1"), ConnectWisePaymentIds.InvoiceId("QB-1")),
            Is.EqualTo(((int?)250, (int?)null, (int?)null)));
    }
}
