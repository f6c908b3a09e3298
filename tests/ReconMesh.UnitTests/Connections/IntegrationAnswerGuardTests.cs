using System.Net;
using System.Text.Json;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.QuickBooks;
using Refit;

namespace ReconMesh.UnitTests.Connections;

/// <summary>
/// What the integrations' HTTP pipeline does with an answer before a client reads it, over a transport that answers
/// as the test says: a redirect and an answer beyond the limit fail the call as refused (never retried as lost), and a
/// refusal reaches the caller as itself through Refit.
/// </summary>
public sealed class IntegrationAnswerGuardTests
{
    private const long Limit = 4096;

    private sealed class Transport(Func<HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answer());
    }

    private sealed class FailingTransport(Exception failure) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromException<HttpResponseMessage>(failure);
    }

    private static IQuickBooksApi Client(HttpMessageHandler transport) =>
        RestService.For<IQuickBooksApi>(
            new HttpClient(new IntegrationAnswerGuard(new IntegrationAddressPolicy(new Dictionary<IntegrationKind, string[]>(), [], Limit), IntegrationKind.QuickBooksOnline)
            {
                InnerHandler = transport,
            }) { BaseAddress = new Uri("https://quickbooks.api.intuit.com/") },
            IntegrationRefitSettings.Create(new JsonSerializerOptions(), QuickBooksException.From));

    private static HttpResponseMessage Json(string body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

    [Test]
    public void A_redirect_fails_the_call_without_its_target_repeated()
    {
        var refused = Assert.ThrowsAsync<IntegrationRefusedException>(() => Client(new Transport(() =>
            new HttpResponseMessage(HttpStatusCode.Found) { Headers = { Location = new Uri("http://169.254.169.254/latest/meta-data/") } }))
            .QueryAsync("1", "select * from Invoice"));

        Assert.That(refused!.Message, Does.Contain("HTTP 302, a redirect, which is not followed").And.Not.Contain("169.254"));
    }

    [Test]
    public void An_answer_beyond_the_limit_fails_the_call_whether_or_not_it_says_its_length()
    {
        var said = Assert.ThrowsAsync<IntegrationRefusedException>(() => Client(new Transport(() => Json(new string(' ', 5000) + "{}")))
            .QueryAsync("1", "select * from Invoice"));
        var unsaid = Assert.ThrowsAsync<IntegrationRefusedException>(() => Client(new Transport(() =>
            {
                var content = new StreamContent(new MemoryStream(new byte[5000]));
                content.Headers.ContentLength = null; // chunked, as a server that does not say its length: read until the limit
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
            }))
            .QueryAsync("1", "select * from Invoice"));

        Assert.That(said!.Message, Is.EqualTo("QuickBooksOnline answered a body of 5,002 bytes, more than the 4,096 bytes an answer may have " +
            "(setting ReconMesh:Integrations:MaxAnswerBytes); the answer was not read."));
        Assert.That(unsaid!.Message, Does.StartWith("QuickBooksOnline answered a longer body, more than the 4,096 bytes"));
    }

    [Test]
    public async Task An_answer_within_the_limit_is_read_as_before()
    {
        var answer = await Client(new Transport(() => Json("""{"QueryResponse":{"Invoice":[{"Id":"1"}]}}"""))).QueryAsync("1", "select * from Invoice");

        Assert.That(answer.QueryResponse!.Invoice![0].Id, Is.EqualTo("1"));
    }

    [Test]
    public void Other_transport_failures_are_still_Refits_lost_answers()
    {
        Assert.ThrowsAsync<ApiRequestException>(() => Client(new FailingTransport(new HttpRequestException("connection reset")))
            .QueryAsync("1", "select * from Invoice"));
        Assert.ThrowsAsync<IntegrationRefusedException>(() => Client(new FailingTransport(
                new HttpRequestException("wrapped", new IntegrationRefusedException("Refused to connect: 10.0.0.1 is a private address"))))
            .QueryAsync("1", "select * from Invoice"));
    }
}
