using System.Net;
using System.Text;
using System.Text.Json;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.Xero;
using Refit;

namespace ReconMesh.UnitTests.Connections;

/// <summary>
/// Xero's answers as its client reads them: its errors arrive as a <see cref="XeroException"/> saying what Xero said (a
/// ValidationException's element messages, a refused token as a connection to authorise again, a throttled call with
/// its limit and wait), and its <c>/Date(…)/</c> dates are read as instants.
/// </summary>
public sealed class XeroFaultTranslationTests
{
    private sealed class Transport(HttpStatusCode status, string body, Action<HttpResponseMessage>? headers = null) : HttpMessageHandler
    {
        public HttpRequestMessage? Sent { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent = request;
            var response = new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, "application/json") };
            headers?.Invoke(response);
            return Task.FromResult(response);
        }
    }

    private static IXeroApi Xero(HttpMessageHandler transport) =>
        RestService.For<IXeroApi>(new HttpClient(transport) { BaseAddress = new Uri("https://api.xero.com/") },
            IntegrationRefitSettings.Create(new JsonSerializerOptions { PropertyNameCaseInsensitive = true, Converters = { new XeroDateConverter() } },
                XeroException.From));

    private static XeroNewPayment Payment() => new()
    {
        Invoice = new XeroInvoiceRef { InvoiceId = Guid.NewGuid().ToString() }, Account = XeroAccountRef.Of("092"), Date = "2026-12-05", Amount = 900m,
    };

    [Test]
    public void A_ValidationException_arrives_with_the_messages_of_its_elements()
    {
        var refused = Assert.ThrowsAsync<XeroException>(() => Xero(new Transport(HttpStatusCode.BadRequest,
                """{"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred","Elements":[{"Amount":900,"ValidationErrors":[{"Message":"Payment amount exceeds the amount outstanding on this document"}]}]}"""))
            .CreatePaymentAsync(Payment()));

        Assert.That((refused!.IsValidation, refused.IsTransient, refused.IsAuthentication), Is.EqualTo((true, false, false)));
        Assert.That(refused.ValidationErrors, Is.EqualTo(new[] { "Payment amount exceeds the amount outstanding on this document" }));
        Assert.That(refused.Message, Is.EqualTo("Xero refused the request (ValidationException): Payment amount exceeds the amount outstanding on this document"));
        Assert.That(refused.InnerException, Is.InstanceOf<ApiException>());
    }

    [Test]
    public void A_ValidationException_of_thousands_of_elements_keeps_ten_messages_of_200_characters_at_most()
    {
        var elements = string.Join(',', Enumerable.Range(0, 3000).Select(i =>
            $$$"""{"Amount":1,"ValidationErrors":[{"Message":"error {{{i}}} \u001b[2J {{{new string('x', 500)}}}"}]}"""));
        var refused = Assert.ThrowsAsync<XeroException>(() => Xero(new Transport(HttpStatusCode.BadRequest,
                $$$"""{"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred","Elements":[{{{elements}}}]}"""))
            .CreatePaymentAsync(Payment()));

        Assert.That(refused!.ValidationErrors, Has.Count.EqualTo(XeroException.MaxValidationErrors));
        Assert.That(refused.ValidationErrors, Has.All.Length.LessThanOrEqualTo(201).And.All.StartWith("error ").And.None.Contains("\u001b"));
        Assert.That(refused.Message, Has.Length.LessThan(2500));
    }

    [TestCase(HttpStatusCode.Unauthorized, "Unauthorized", "TokenExpired: token expired at 2026-12-05T10:00:00")]
    [TestCase(HttpStatusCode.Forbidden, "Forbidden", "AuthenticationUnsuccessful")]
    public void A_refused_token_or_a_disconnected_organisation_asks_for_the_connection_to_be_authorised_again(HttpStatusCode status, string title, string detail)
    {
        var refused = Assert.ThrowsAsync<XeroException>(() => Xero(new Transport(status,
                $$$"""{"Type":null,"Title":"{{{title}}}","Status":{{{(int)status}}},"Detail":"{{{detail}}}","Instance":"0f4e","Extensions":{}}"""))
            .InvoicesAsync(null, null, null, 1, null));

        Assert.That((refused!.IsAuthentication, refused.IsTransient), Is.EqualTo((true, false)));
        Assert.That(refused.Message, Does.Contain(detail).And.Contain("must be authorised in Xero again"));
    }

    [Test]
    public void A_throttled_call_says_which_limit_and_how_long_to_wait()
    {
        var throttled = Assert.ThrowsAsync<XeroException>(() => Xero(new Transport(HttpStatusCode.TooManyRequests, "", r =>
            {
                r.Headers.Add("X-Rate-Limit-Problem", "day");
                r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3600));
            }))
            .InvoicesAsync(null, null, null, 1, null));

        Assert.That((throttled!.IsTransient, throttled.RateLimitProblem), Is.EqualTo((true, "day")));
        Assert.That(throttled.Message, Is.EqualTo("Xero throttled the call (limit: day, Retry-After 3600 s)"));
    }

    [Test]
    public async Task Invoices_are_read_with_their_dates_and_the_organisation_and_since_are_sent_as_Xero_wants()
    {
        var transport = new Transport(HttpStatusCode.OK,
            """{"Id":"1","Status":"OK","pagination":{"page":1,"pageSize":100,"pageCount":1,"itemCount":1},"Invoices":[{"Type":"ACCREC","InvoiceID":"9a7e0d1c-0000-4000-8000-000000000001","InvoiceNumber":"INV-0001","Status":"AUTHORISED","Contact":{"ContactID":"1f0c0000-0000-4000-8000-000000000002","Name":"Acme Ltd"},"Date":"/Date(1796083200000+0000)/","DueDate":"/Date(1798675200000+0000)/","Total":500.00,"AmountDue":300.00,"AmountPaid":200.00,"CurrencyCode":"USD","UpdatedDateUTC":"/Date(1796118123456+0000)/"}]}""");

        var page = await Xero(transport).InvoicesAsync(XeroQuery.OpenReceivables, null, XeroQuery.StableOrder, 1,
            XeroQuery.ModifiedSince(new DateTimeOffset(2026, 12, 5, 10, 0, 0, 700, TimeSpan.Zero)));

        var invoice = page.Invoices![0];
        Assert.That(invoice.Date, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1796083200000)));
        Assert.That(invoice.UpdatedDateUtc, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1796118123456)));
        Assert.That((invoice.InvoiceId, invoice.Contact!.ContactId, invoice.AmountDue), Is.EqualTo(("9a7e0d1c-0000-4000-8000-000000000001", "1f0c0000-0000-4000-8000-000000000002", 300.00m)));
        Assert.That(page.Pagination!.ItemCount, Is.EqualTo(1));
        Assert.That(transport.Sent!.Headers.GetValues("If-Modified-Since").Single(), Is.EqualTo("Sat, 05 Dec 2026 10:00:00 GMT"));
        Assert.That(Uri.UnescapeDataString(transport.Sent.RequestUri!.Query), Does.Contain("where=Type==\"ACCREC\" AND Status==\"AUTHORISED\"").And.Contain("order=InvoiceID"));
    }

    [Test]
    public void A_date_Xero_never_writes_fails_the_answer_as_unreadable()
    {
        var unreadable = Assert.ThrowsAsync<XeroException>(() => Xero(new Transport(HttpStatusCode.OK,
                """{"Invoices":[{"InvoiceID":"1","Date":"/Date(99999999999999999999)/"}]}"""))
            .InvoiceAsync("1"));

        Assert.That(unreadable!.Message, Does.StartWith("Xero answered HTTP 200 with application/json, JSON of an unexpected shape"));
    }
}
