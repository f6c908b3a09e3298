using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Integrations.QuickBooks;

namespace ReconMesh.UnitTests.InvoiceIngest;

[TestFixture]
public sealed class When_QuickBooks_returns_an_invoice_that_cannot_be_taken_in
{
    private static QboInvoice Good() => new()
    {
        Id = "130", SyncToken = "0", DocNumber = "1037", CustomerRef = new QboRef("20", "Red Rock Diner"),
        CurrencyRef = new QboRef("USD"), TotalAmt = 362.07m, Balance = 362.07m, Line = [new QboLine { Amount = 362.07m, DetailType = "SalesItemLineDetail" }],
    };

    [Test]
    public void Should_take_a_well_formed_invoice() => Assert.That(QuickBooksInvoiceReader.Problem(Good()), Is.Null);

    private static IEnumerable<TestCaseData> Bad()
    {
        var good = Good();
        yield return new TestCaseData(new QboInvoice { Id = "", CustomerRef = good.CustomerRef, TotalAmt = 1m, Balance = 1m }, "no Id").SetName("no id");
        yield return new TestCaseData(new QboInvoice { Id = "1", TotalAmt = 1m, Balance = 1m }, "no customer").SetName("no customer");
        yield return new TestCaseData(new QboInvoice { Id = "1", CustomerRef = good.CustomerRef, TotalAmt = -5m, Balance = 0m }, "negative").SetName("negative total");
        yield return new TestCaseData(new QboInvoice { Id = "1", CustomerRef = good.CustomerRef, TotalAmt = 5m, Balance = 6m }, "balance").SetName("balance above total");
        yield return new TestCaseData(new QboInvoice { Id = "1", CustomerRef = good.CustomerRef, CurrencyRef = new QboRef("ZZZ"), TotalAmt = 5m, Balance = 5m }, "currency").SetName("unknown currency");
        yield return new TestCaseData(new QboInvoice { Id = "1", CustomerRef = good.CustomerRef, TotalAmt = 5.001m, Balance = 5.001m }, "decimal places").SetName("sub-cent amount");
        yield return new TestCaseData(new QboInvoice
        {
            Id = "1", CustomerRef = good.CustomerRef, TotalAmt = 5m, Balance = 5m,
            Line = [.. Enumerable.Range(0, QuickBooksInvoiceReader.MaxLines + 1).Select(_ => new QboLine { Amount = 0m })],
        }, "lines").SetName("absurd line count");
    }

    [TestCaseSource(nameof(Bad))]
    public void Should_say_why(QboInvoice invoice, string reasonMentions) =>
        Assert.That(QuickBooksInvoiceReader.Problem(invoice), Does.Contain(reasonMentions));
}
