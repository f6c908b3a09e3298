using System.Net;
using System.Text;
using System.Text.Json;
using ReconMesh.Integrations.Autotask;
using ReconMesh.Integrations.ConnectWise;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.QuickBooks;
using Refit;

namespace ReconMesh.UnitTests.Connections;

/// <summary>
/// An integration's faults are translated once, where its client reads the answer: every error answer and every answer
/// that is not the JSON expected reaches the caller as the integration's own exception, never as Refit's.
/// </summary>
public sealed class IntegrationFaultTranslationTests
{
    private sealed class Transport(HttpStatusCode status, string body, string contentType = "application/json") : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, contentType) });
    }

    private static IQuickBooksApi QuickBooks(HttpMessageHandler transport) =>
        RestService.For<IQuickBooksApi>(new HttpClient(transport) { BaseAddress = new Uri("https://quickbooks.api.intuit.com/") },
            IntegrationRefitSettings.Create(new JsonSerializerOptions(), QuickBooksException.From));

    private static IConnectWiseApi ConnectWise(HttpMessageHandler transport) =>
        RestService.For<IConnectWiseApi>(new HttpClient(transport) { BaseAddress = new Uri("https://na.myconnectwise.net/v4_6_release/apis/3.0/") },
            IntegrationRefitSettings.Create(new JsonSerializerOptions(JsonSerializerDefaults.Web), ConnectWiseException.From));

    private static IAutotaskApi Autotask(HttpMessageHandler transport) =>
        RestService.For<IAutotaskApi>(new HttpClient(transport) { BaseAddress = new Uri("https://webservices2.autotask.net/atservicesrest/v1.0/") },
            IntegrationRefitSettings.Create(IntegrationRefitSettings.Json(JsonNamingPolicy.CamelCase), AutotaskException.From));

    private static AutotaskException AutotaskMarkAnswered(HttpStatusCode status, string body) =>
        Assert.ThrowsAsync<AutotaskException>(() => Autotask(new Transport(status, body))
            .UpdateInvoiceAsync(AutotaskWriteRules.MarkPaid(29684, Guid.NewGuid(), new DateOnly(2026, 12, 7))))!;

    [Test]
    public void A_QuickBooks_fault_arrives_as_a_QuickBooksException_with_its_code()
    {
        var fault = Assert.ThrowsAsync<QuickBooksException>(() => QuickBooks(new Transport(HttpStatusCode.BadRequest,
                """{"Fault":{"Error":[{"Message":"Object Not Found","Detail":"Object Not Found : Something you're trying to use has been made inactive or is not found.","code":"610"}],"type":"ValidationFault"}}"""))
            .GetInvoiceAsync("1", "42"));

        Assert.That(fault!.IsNotFound, Is.True);
        Assert.That(fault.Message, Does.StartWith("QuickBooks fault 610: Object Not Found"));
        Assert.That(fault.InnerException, Is.InstanceOf<ApiException>());
    }

    [Test]
    public void A_stale_or_deposited_QuickBooks_fault_on_a_call_without_an_answer_is_translated_too()
    {
        var stale = Assert.ThrowsAsync<QuickBooksException>(() => QuickBooks(new Transport(HttpStatusCode.BadRequest,
                """{"Fault":{"Error":[{"Message":"Stale Object Error","code":"5010"}]}}"""))
            .VoidPaymentAsync("1", new QboVoidRequest("7", "0"), "rmv-1"));
        var deposited = Assert.ThrowsAsync<QuickBooksException>(() => QuickBooks(new Transport(HttpStatusCode.BadRequest,
                """{"Fault":{"Error":[{"Message":"Deposited Transaction cannot be changed","code":"6540"}]}}"""))
            .VoidPaymentAsync("1", new QboVoidRequest("7", "0"), "rmv-1"));

        Assert.That((stale!.IsStaleObject, stale.IsDeposited, deposited!.IsDeposited, deposited.IsStaleObject), Is.EqualTo((true, false, true, false)));
    }

    [Test]
    public void An_answer_that_is_not_the_JSON_expected_arrives_as_the_integrations_exception_describing_it()
    {
        var html = Assert.ThrowsAsync<QuickBooksException>(() => QuickBooks(new Transport(HttpStatusCode.OK, "<html>login</html>", "text/html"))
            .GetInvoiceAsync("1", "42"));
        var wrongShape = Assert.ThrowsAsync<ConnectWiseException>(() => ConnectWise(new Transport(HttpStatusCode.OK, """{"id":{}}"""))
            .GetInvoiceAsync(42));

        Assert.That(html!.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html.Message, Does.StartWith("QuickBooks answered HTTP 200 with text/html, not JSON").And.Not.Contain("login"));
        Assert.That(wrongShape!.Message, Does.StartWith("ConnectWise answered HTTP 200 with application/json, JSON of an unexpected shape"));
    }

    [Test]
    public void A_ConnectWise_error_arrives_as_a_ConnectWiseException_classified()
    {
        var missing = Assert.ThrowsAsync<ConnectWiseException>(() => ConnectWise(new Transport(HttpStatusCode.NotFound,
                """{"code":"NotFound","message":"Invoice not found."}"""))
            .DeletePaymentAsync(42, 7));
        var refused = Assert.ThrowsAsync<ConnectWiseException>(() => ConnectWise(new Transport(HttpStatusCode.BadRequest,
                """{"code":"InvalidObject","message":"payment object is invalid","errors":[{"code":"InvalidField","message":"The amount exceeds the balance.","resource":"payment","field":"amount"}]}"""))
            .CreatePaymentAsync(42, new ConnectWisePayment { Amount = 10m }));

        Assert.That((missing!.IsNotFound, refused!.IsInvalid), Is.EqualTo((true, true)));
        Assert.That(refused.Message, Is.EqualTo("ConnectWise 400 InvalidObject: payment object is invalid (amount: The amount exceeds the balance.)"));
    }

    /// <summary>
    /// Autotask answers most errors with HTTP 500 and <c>{"errors":[…]}</c>: a refusal names what it refused, a failure of
    /// its own says only "An unexpected error has occurred.". The second passes by itself and is waited out (./run chaos:
    /// three of them in a row put a booked payment in the exceptions queue).
    /// </summary>
    [TestCase("An unexpected error has occurred.")]
    [TestCase("an unexpected error has occurred")]
    public void Autotasks_own_failure_is_transient(string error)
    {
        var failure = AutotaskMarkAnswered(HttpStatusCode.InternalServerError, JsonSerializer.Serialize(new { errors = new[] { error } }));

        Assert.That((failure.IsOwnFailure, failure.IsTransient, failure.IsAuthentication, failure.IsServerRefusal), Is.EqualTo((true, true, false, false)));
        Assert.That(failure.Message, Is.EqualTo("Autotask answered HTTP 500: " + error));
    }

    [Test]
    public void An_Autotask_refusal_naming_what_it_refused_is_not_transient_even_beside_an_unexpected_error()
    {
        var refused = AutotaskMarkAnswered(HttpStatusCode.InternalServerError,
            """{"errors":["An unexpected error has occurred.","Invoice 29684: the value of paidDate is not valid."]}""");

        Assert.That((refused.IsOwnFailure, refused.IsTransient, refused.IsServerRefusal, refused.Errors.Count), Is.EqualTo((false, false, true, 2)));
    }

    [TestCase(HttpStatusCode.TooManyRequests, """{"errors":["User has exceeded the threshold of 10000 requests per hour."]}""")]
    [TestCase(HttpStatusCode.ServiceUnavailable, """{"errors":["The service is temporarily unavailable. Please try again later."]}""")]
    [TestCase(HttpStatusCode.InternalServerError, "")]
    [TestCase(HttpStatusCode.BadGateway, "<html>bad gateway</html>")]
    public void Autotask_throttling_unavailability_and_an_empty_500_are_transient(HttpStatusCode status, string body)
    {
        var failure = AutotaskMarkAnswered(status, body);

        Assert.That((failure.IsTransient, failure.IsOwnFailure, failure.IsServerRefusal), Is.EqualTo((true, false, false)));
    }

    [Test]
    public void A_refused_Autotask_credential_is_neither_transient_nor_Autotasks_own_failure()
    {
        var refused = AutotaskMarkAnswered(HttpStatusCode.Unauthorized, "");

        Assert.That((refused.IsAuthentication, refused.IsTransient, refused.IsOwnFailure, refused.IsServerRefusal), Is.EqualTo((true, false, false, false)));
    }
}
