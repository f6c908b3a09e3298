using System.Net;
using System.Text;
using System.Text.Json;
using ReconMesh.Integrations.Autotask;
using ReconMesh.Integrations.Http;
using Refit;

namespace ReconMesh.UnitTests.Connections;

/// <summary>
/// Autotask answers most of its errors with HTTP 500 and <c>{"errors":[…]}</c>: a refusal names what it refused (a field,
/// a value, an entity not found), while a failure of Autotask's own says only "An unexpected error has occurred.". The
/// first is a person's work once the request was checked; the second passes by itself and must be waited out (found by
/// ./run chaos: three of Autotask's own failures in a row put a booked payment in the exceptions queue).
/// </summary>
public sealed class When_Autotask_answers_an_error
{
    private sealed class Transport(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }

    private static AutotaskException Answer(HttpStatusCode status, string body)
    {
        var api = RestService.For<IAutotaskApi>(new HttpClient(new Transport(status, body)) { BaseAddress = new Uri("https://webservices2.autotask.net/atservicesrest/v1.0/") },
            IntegrationRefitSettings.Create(IntegrationRefitSettings.Json(JsonNamingPolicy.CamelCase), AutotaskException.From));
        return Assert.ThrowsAsync<AutotaskException>(() => api.UpdateInvoiceAsync(AutotaskWriteRules.MarkPaid(29684, Guid.NewGuid(), new DateOnly(2026, 12, 7))))!;
    }

    [TestCase("An unexpected error has occurred.")]
    [TestCase("an unexpected error has occurred")]
    public void Its_own_failure_is_transient(string error)
    {
        var failure = Answer(HttpStatusCode.InternalServerError, JsonSerializer.Serialize(new { errors = new[] { error } }));

        Assert.That((failure.IsOwnFailure, failure.IsTransient, failure.IsAuthentication), Is.EqualTo((true, true, false)));
        Assert.That(failure.Message, Is.EqualTo("Autotask answered HTTP 500: " + error));
    }

    [Test]
    public void A_refusal_naming_what_it_refused_is_not_transient_even_beside_an_unexpected_error()
    {
        var refused = Answer(HttpStatusCode.InternalServerError,
            """{"errors":["An unexpected error has occurred.","Invoice 29684: the value of paidDate is not valid."]}""");

        Assert.That((refused.IsOwnFailure, refused.IsTransient), Is.EqualTo((false, false)));
        Assert.That(refused.Errors, Has.Count.EqualTo(2));
    }

    [TestCase(HttpStatusCode.TooManyRequests, """{"errors":["User has exceeded the threshold of 10000 requests per hour."]}""")]
    [TestCase(HttpStatusCode.ServiceUnavailable, """{"errors":["The service is temporarily unavailable. Please try again later."]}""")]
    [TestCase(HttpStatusCode.InternalServerError, "")]
    [TestCase(HttpStatusCode.BadGateway, "<html>bad gateway</html>")]
    public void Throttling_unavailability_and_an_empty_500_are_transient(HttpStatusCode status, string body)
    {
        var failure = Answer(status, body);

        Assert.That((failure.IsTransient, failure.IsOwnFailure), Is.EqualTo((true, false)));
    }

    [Test]
    public void A_refused_credential_is_neither_transient_nor_Autotasks_own_failure()
    {
        var refused = Answer(HttpStatusCode.Unauthorized, "");

        Assert.That((refused.IsAuthentication, refused.IsTransient, refused.IsOwnFailure), Is.EqualTo((true, false, false)));
    }
}
