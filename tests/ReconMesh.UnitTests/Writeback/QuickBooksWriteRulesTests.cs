using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.QuickBooks;

namespace ReconMesh.UnitTests.Writeback;

/// <summary>What a QuickBooks invoice or payment, read again before a write, decides (no calls: the rules alone).</summary>
public sealed class QuickBooksWriteRulesTests
{
    private static readonly InvoicePortion Portion = new(Guid.NewGuid(), "130", "58", 100m);

    private static QboInvoice Invoice(decimal total = 250m, decimal balance = 250m, string? currency = null, string? note = null) =>
        new() { Id = "130", DocNumber = "1037", TotalAmt = total, Balance = balance, CurrencyRef = currency is null ? null : new QboRef(currency), PrivateNote = note };

    [Test]
    public void An_open_invoice_in_the_payments_currency_owing_at_least_the_portion_can_be_paid()
    {
        Assert.That(QuickBooksWriteRules.Refusal(Invoice(), Portion, "usd"), Is.Null);
        Assert.That(QuickBooksWriteRules.Refusal(Invoice(balance: 100m, currency: "USD"), Portion, "USD"), Is.Null);
    }

    [Test]
    public void A_voided_invoice_is_refused_as_voided()
    {
        var refusal = QuickBooksWriteRules.Refusal(Invoice(total: 0m, balance: 0m, note: "Voided"), Portion, "USD");

        Assert.That(refusal, Is.EqualTo(new WritebackOutcome.NeedsAttention("invoice-voided", "Invoice 1037 was voided in QuickBooks; nothing was written.")));
    }

    [Test]
    public void An_invoice_in_another_currency_is_refused_before_anything_else()
    {
        var refusal = QuickBooksWriteRules.Refusal(Invoice(total: 0m, balance: 0m, currency: "CAD", note: "Voided"), Portion, "USD");

        Assert.That(refusal!.ReasonCode, Is.EqualTo("currency-mismatch"));
        Assert.That(refusal.Reason, Is.EqualTo("Invoice 1037 is in CAD, the payment in USD; nothing was written."));
    }

    [Test]
    public void An_invoice_paid_or_re_priced_there_to_less_than_the_portion_is_refused_as_changed()
    {
        var partlyPaid = QuickBooksWriteRules.Refusal(Invoice(balance: 60m), Portion, "USD");
        var repriced = QuickBooksWriteRules.Refusal(Invoice(total: 80m, balance: 60m), Portion, "USD");

        Assert.That(partlyPaid!.ReasonCode, Is.EqualTo("invoice-balance-changed"));
        Assert.That(partlyPaid.Reason, Does.StartWith("Invoice 1037 has a balance of 60 in QuickBooks, less than the 100 paid"));
        Assert.That(repriced!.ReasonCode, Is.EqualTo("invoice-balance-changed"));
    }

    [Test]
    public void Paying_more_than_a_whole_untouched_invoice_is_an_overpayment_not_a_change()
    {
        var untouched = Invoice(total: 80m, balance: 80m);

        Assert.That(QuickBooksWriteRules.IsOverpayment(untouched, Portion), Is.True);
        Assert.That(QuickBooksWriteRules.Refusal(untouched, Portion, "USD"), Is.Null);
        Assert.That(QuickBooksWriteRules.IsOverpayment(Invoice(total: 0m, balance: 0m), Portion), Is.False);
    }

    [Test]
    public void Voided_means_zeroed_and_noted_so_for_invoices_and_payments_alike()
    {
        Assert.That(QuickBooksWriteRules.IsVoided(Invoice(total: 0m, balance: 0m, note: "voided - by hand")), Is.True);
        Assert.That(QuickBooksWriteRules.IsVoided(Invoice(total: 0m, balance: 0m)), Is.False);
        Assert.That(QuickBooksWriteRules.IsVoided(Invoice(note: "Voided")), Is.False);
        Assert.That(QuickBooksWriteRules.IsVoided(new QboPayment { TotalAmt = 0m, PrivateNote = "Voided - ReconMesh payment 1" }), Is.True);
        Assert.That(QuickBooksWriteRules.IsVoided(new QboPayment { TotalAmt = 5m, PrivateNote = "Voided" }), Is.False);
        Assert.That(QuickBooksWriteRules.HasNothingToVoid(Invoice(total: 0m, balance: 0m)), Is.True);
    }

    [Test]
    public void A_payment_is_our_own_earlier_write_when_it_carries_the_marker_and_still_counts()
    {
        const string marker = "ReconMesh payment 0123";

        Assert.That(QuickBooksWriteRules.IsOwnPayment(new QboPayment { TotalAmt = 100m, PrivateNote = marker + " (platform payment p1)" }, marker), Is.True);
        Assert.That(QuickBooksWriteRules.IsOwnPayment(new QboPayment { TotalAmt = 0m, PrivateNote = "Voided - " + marker }, marker), Is.False);
        Assert.That(QuickBooksWriteRules.IsOwnPayment(new QboPayment { TotalAmt = 100m, PrivateNote = "cheque" }, marker), Is.False);
    }

    [Test]
    public void A_deleted_invoice_is_said_by_its_id()
    {
        Assert.That(QuickBooksWriteRules.Deleted("130"),
            Is.EqualTo(new WritebackOutcome.NeedsAttention("invoice-deleted", "Invoice 130 no longer exists in QuickBooks; nothing was written.")));
    }
}
