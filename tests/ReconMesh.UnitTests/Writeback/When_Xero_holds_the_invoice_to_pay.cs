using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Xero;

namespace ReconMesh.UnitTests.Writeback;

/// <summary>
/// What the Xero invoice read again just before a write decides (<see cref="XeroWriteRules"/>): paid only while
/// AUTHORISED with at least the portion due and in the payment's currency; anything else is a person's, with the reason
/// QuickBooks and ConnectWise give for the same case. And what marks a payment as ReconMesh's own.
/// </summary>
public sealed class When_Xero_holds_the_invoice_to_pay
{
    private static readonly InvoicePortion Portion = new(Guid.NewGuid(), "9a7e0d1c-0000-4000-8000-000000000001", "1f0c", 200m);

    private static XeroInvoice Invoice(string status, decimal due, string currency = "USD") =>
        new() { InvoiceId = Portion.ExternalInvoiceId, InvoiceNumber = "INV-0042", Status = status, Total = 500m, AmountDue = due, CurrencyCode = currency };

    [TestCase("AUTHORISED", 200)]
    [TestCase("AUTHORISED", 500)]
    public void Should_pay_an_authorised_invoice_owing_at_least_the_portion(string status, decimal due) =>
        Assert.That(XeroWriteRules.Refusal(Invoice(status, due), Portion, "usd"), Is.Null);

    [TestCase("AUTHORISED", 199.99, "invoice-balance-changed")]
    [TestCase("PAID", 0, "invoice-balance-changed")]
    [TestCase("DRAFT", 500, "invoice-balance-changed")]
    [TestCase("VOIDED", 500, "invoice-voided")]
    [TestCase("DELETED", 500, "invoice-deleted")]
    public void Should_leave_any_other_invoice_to_a_person(string status, decimal due, string reason)
    {
        var refusal = XeroWriteRules.Refusal(Invoice(status, due), Portion, "USD");

        Assert.That(refusal?.ReasonCode, Is.EqualTo(reason));
        Assert.That(refusal!.Reason, Does.Contain("INV-0042").And.Contain("nothing was written"));
    }

    [Test]
    public void Should_refuse_an_invoice_in_another_currency_first() =>
        Assert.That(XeroWriteRules.Refusal(Invoice("AUTHORISED", 500, "NZD"), Portion, "USD")?.ReasonCode, Is.EqualTo("currency-mismatch"));

    [Test]
    public void Should_know_its_own_payment_by_the_marker_at_the_start_of_the_reference()
    {
        var marker = ReconMesh.Integrations.Writeback.IdempotencyKeys.Marker(Guid.NewGuid());
        var reference = XeroWriteRules.Reference(marker, "platform payment " + new string('x', 400));

        Assert.That(reference, Has.Length.EqualTo(XeroWriteRules.MaxReference).And.StartsWith(marker));
        Assert.That((XeroWriteRules.IsOwn(reference, marker), XeroWriteRules.IsOwn("cheque 2207", marker), XeroWriteRules.IsOwn(null, marker)),
            Is.EqualTo((true, false, false)));
    }
}
