using System.Net;
using System.Text;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Xero;
using ReconMesh.InvoiceIngest.Sync;

namespace ReconMesh.UnitTests.InvoiceIngest;

/// <summary>
/// What a page of Xero's receivables becomes (<see cref="XeroInvoiceSource"/>): AUTHORISED invoices owe their amount
/// due, PAID ones nothing; VOIDED and DELETED ones are to be archived; drafts and bills are left out; each contact's
/// billing email is its own or, without one, that of the contact person Xero includes in emails.
/// </summary>
public sealed class When_a_Xero_page_is_read
{
    private const string Contact = "1f0c0000-0000-4000-8000-000000000002";

    private sealed class Transport : HttpMessageHandler
    {
        public List<string> Asked { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked.Add(Uri.UnescapeDataString(request.RequestUri!.PathAndQuery));
            var body = request.RequestUri.AbsolutePath.EndsWith("/Contacts", StringComparison.Ordinal)
                ? $$"""{"Contacts":[{"ContactID":"{{Contact}}","Name":"Acme Ltd","EmailAddress":"","ContactPersons":[{"FirstName":"Ana","LastName":"Ruiz","EmailAddress":"ap@acme.test","IncludeInEmails":false},{"FirstName":"Bo","LastName":"Li","EmailAddress":"billing@acme.test","IncludeInEmails":true}]}]}"""
                : $$"""{"Invoices":[{{Invoice(1, "AUTHORISED", 300)}},{{Invoice(2, "PAID", 0)}},{{Invoice(3, "VOIDED", 500)}},{{Invoice(4, "DELETED", 500)}},{{Invoice(5, "DRAFT", 500)}},{{Invoice(6, "AUTHORISED", 500, "ACCPAY")}}]}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }

        private static string Invoice(int n, string status, decimal due, string type = "ACCREC") =>
            $$"""{"Type":"{{type}}","InvoiceID":"00000000-0000-4000-8000-00000000000{{n}}","InvoiceNumber":"INV-000{{n}}","Status":"{{status}}","Contact":{"ContactID":"{{Contact}}","Name":"Acme Ltd"},"Date":"/Date(1796083200000+0000)/","Total":500.00,"AmountDue":{{due}},"CurrencyCode":"USD","UpdatedDateUTC":"/Date(1796118123456+0000)/","LineItems":[{"Description":"Managed services","LineAmount":500.00}]}""";
    }

    private static readonly ConnectionSettings Connection = new()
    {
        Id = Guid.NewGuid(), TenantId = "acme", Kind = IntegrationKind.Xero, BaseUrl = new Uri("https://api.xero.com/"),
        RealmId = "6c2a3b8e-5d1f-4c7a-9e0b-2f4d6a8c0e1f", AccessToken = "token", PaymentsAccountId = "092",
    };

    private static async Task<(InvoicePage Page, Transport Transport)> ReadAsync(bool changedSince)
    {
        var transport = new Transport();
        var source = new XeroInvoiceSource(new XeroClientFactory(new ScriptedIntegration(transport), ScriptedIntegration.Resilience()));
        var now = DateTimeOffset.UtcNow;
        var page = changedSince
            ? await source.ReadChangedAsync(Connection, now.AddMinutes(-5), 1, now, CancellationToken.None)
            : await source.ReadAllAsync(Connection, 1, now, CancellationToken.None);
        return (page, transport);
    }

    [Test]
    public async Task Should_hold_open_and_paid_receivables_archive_voided_and_deleted_ones_and_leave_out_the_rest()
    {
        var (page, _) = await ReadAsync(changedSince: true);

        Assert.That(page.Invoices.Select(i => (i.Number, i.Total, i.Balance)), Is.EqualTo(new[] { ("INV-0001", 500.00m, 300m), ("INV-0002", 500.00m, 0m) }));
        Assert.That(page.Voided, Is.EqualTo(new[] { "00000000-0000-4000-8000-000000000003" }));
        Assert.That(page.Deleted, Is.EqualTo(new[] { "00000000-0000-4000-8000-000000000004" }));
        Assert.That((page.RowsRead, page.NextPosition, page.IsLast), Is.EqualTo((6, 2, true)));
        Assert.That(page.Invoices[0].Lines.Single().Amount, Is.EqualTo(500.00m));
    }

    [Test]
    public async Task Should_take_the_billing_email_of_the_person_Xero_includes_in_emails_when_the_contact_has_none()
    {
        var (page, _) = await ReadAsync(changedSince: false);

        var contact = page.Contacts.Single();
        Assert.That((contact.CustomerName, contact.ContactName, contact.Email), Is.EqualTo(("Acme Ltd", "Bo Li", "billing@acme.test")));
    }

    [Test]
    public async Task Should_read_a_full_sync_in_a_stable_order_and_changes_since_a_time_with_every_status_but_drafts()
    {
        var (_, full) = await ReadAsync(changedSince: false);
        var (_, changed) = await ReadAsync(changedSince: true);

        Assert.That(full.Asked[0], Does.Contain("where=Type==\"ACCREC\" AND Status==\"AUTHORISED\"").And.Contain("order=InvoiceID").And.Contain("page=1"));
        Assert.That(changed.Asked[0], Does.Contain("Statuses=AUTHORISED,PAID,VOIDED,DELETED").And.Contain("where=Type==\"ACCREC\""));
        Assert.That(full.Asked[1], Does.StartWith("/api.xro/2.0/Contacts?IDs=" + Contact));
    }
}
