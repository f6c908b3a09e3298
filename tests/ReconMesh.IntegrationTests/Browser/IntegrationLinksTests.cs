using ReconMesh.OperatorConsole.Services;

namespace ReconMesh.IntegrationTests.Browser;

/// <summary>Which integration ids the console links into the integration's own pages (a rule alone: no browser, no mesh).</summary>
public sealed class IntegrationLinksTests
{
    private static readonly Uri Production = new("https://quickbooks.api.intuit.com/");

    [Test]
    public void QuickBooks_Online_invoices_and_payments_open_on_their_pages_in_the_app() =>
        Assert.That((IntegrationLinks.Invoice("QuickBooksOnline", Production, "130"), IntegrationLinks.Payment("QuickBooksOnline", Production, "214")),
            Is.EqualTo((new Uri("https://app.qbo.intuit.com/app/invoice?txnId=130"), new Uri("https://app.qbo.intuit.com/app/recvpayment?txnId=214"))));

    [TestCase("QuickBooksOnline", "https://sandbox-quickbooks.api.intuit.com/", "130", TestName = "A sandbox company has no page in the app")]
    [TestCase("QuickBooksOnline", "http://127.0.0.1:5080/", "130", TestName = "The simulator has no page in the app")]
    [TestCase("QuickBooksOnline", "https://quickbooks.api.intuit.com/", "13 0&x=1", TestName = "An id that is not QuickBooks' is not linked")]
    [TestCase("ConnectWisePsa", "https://na.myconnectwise.net/", "130", TestName = "ConnectWise gets no link")]
    [TestCase("Xero", "https://api.xero.com/", "130", TestName = "Xero gets no link")]
    [TestCase("AutotaskPsa", "https://webservices5.autotask.net/", "130", TestName = "Autotask gets no link")]
    public void Nothing_is_linked_where_no_page_is_known(string kind, string apiBase, string id) =>
        Assert.That((IntegrationLinks.Invoice(kind, new Uri(apiBase), id), IntegrationLinks.Payment(kind, new Uri(apiBase), id)), Is.EqualTo(((Uri?)null, (Uri?)null)));
}
