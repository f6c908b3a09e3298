using System.Net;
using Microsoft.Extensions.Options;
using ReconMesh.Contracts;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.RateLimiting;
using ReconMesh.WritebackService.Waits;

namespace ReconMesh.UnitTests.Http;

/// <summary>
/// The integration pipeline (<see cref="IntegrationResilience"/>) over a transport that answers as each test scripts
/// and a clock whose waits are noted instead of waited: what is repeated, how long it waits first, and what a caller
/// sees when the pipeline gives up (the causes WritebackService's waits are classified by).
/// </summary>
public sealed class When_an_integration_call_fails
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);
    private const string QuickBooksPayment = "https://quickbooks.api.intuit.com/v3/company/1/payment?minorversion=75";
    private const string ConnectWisePayment = "https://na.myconnectwise.net/v4_6_release/apis/3.0/finance/invoices/7/payments";

    private sealed class Transport(Func<int, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        private int _attempts;

        public int Attempts => _attempts;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            answer(Interlocked.Increment(ref _attempts), cancellationToken);
    }

    private sealed class CountingLimiter : IApiRateLimiter
    {
        private int _admitted;

        public int Admitted => _admitted;

        public ValueTask<IAsyncDisposable> AcquireAsync(string key, ApiLimits limits, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _admitted);
            return ValueTask.FromResult<IAsyncDisposable>(new Lease());
        }

        private sealed class Lease : IAsyncDisposable
        {
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private static HttpClient Client(Transport transport, ScriptedTime time, CountingLimiter? limiter = null, IntegrationHttpOptions? options = null) =>
        new(new IntegrationResilience(limiter ?? new CountingLimiter(), Options.Create(options ?? new IntegrationHttpOptions { AttemptTimeout = AttemptTimeout }), time)
            .Create(Guid.NewGuid(), IntegrationKind.QuickBooksOnline, "qbo:1", ApiLimits.QuickBooksOnline, transport));

    private static HttpResponseMessage Answer(HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        }

        return response;
    }

    /// <summary>An attempt that never answers: only its timeout ends it.</summary>
    private static async Task<HttpResponseMessage> NoAnswer(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    private static IEnumerable<TimeSpan> Waits(ScriptedTime time) => time.Scheduled.Where(t => t != AttemptTimeout);

    [Test]
    public async Task A_429_with_Retry_After_is_waited_for_as_told_and_then_repeated()
    {
        var time = new ScriptedTime(due => due != AttemptTimeout);
        var limiter = new CountingLimiter();
        var transport = new Transport((attempt, _) => Task.FromResult(attempt == 1
            ? Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(7))
            : Answer(HttpStatusCode.OK)));

        using var response = await Client(transport, time, limiter).GetAsync(QuickBooksPayment);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(transport.Attempts, Is.EqualTo(2));
            Assert.That(Waits(time), Is.EqualTo(new[] { TimeSpan.FromSeconds(7) }), "the wait is the one Retry-After asked for, no back-off of its own");
            Assert.That(limiter.Admitted, Is.EqualTo(2), "every attempt is admitted by the rate limiter");
        });
    }

    [Test]
    public async Task A_503_with_Retry_After_on_a_write_with_a_requestid_is_waited_for_as_told()
    {
        var time = new ScriptedTime(due => due != AttemptTimeout);
        var transport = new Transport((attempt, _) => Task.FromResult(attempt == 1
            ? Answer(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(3))
            : Answer(HttpStatusCode.OK)));

        using var response = await Client(transport, time).PostAsync(QuickBooksPayment + "&requestid=abc", new StringContent("{}"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Waits(time), Is.EqualTo(new[] { TimeSpan.FromSeconds(3) }));
    }

    [Test]
    public async Task A_Retry_After_longer_than_the_slot_waits_goes_back_to_the_caller_at_once()
    {
        var time = new ScriptedTime(_ => true);
        var transport = new Transport((_, _) => Task.FromResult(Answer(HttpStatusCode.TooManyRequests, TimeSpan.FromMinutes(2))));

        using var response = await Client(transport, time).GetAsync(QuickBooksPayment);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(transport.Attempts, Is.EqualTo(1), "the caller's wait aside is where two minutes are waited");
        Assert.That(Waits(time), Is.Empty);
    }

    [Test]
    public void A_POST_without_an_idempotency_key_is_not_repeated_after_a_timeout()
    {
        var time = new ScriptedTime(_ => true);
        var transport = new Transport((attempt, cancellation) => attempt == 1 ? NoAnswer(cancellation) : Task.FromResult(Answer(HttpStatusCode.OK)));

        var failure = Assert.CatchAsync<OperationCanceledException>(() => Client(transport, time).PostAsync(ConnectWisePayment, new StringContent("{}")));

        Assert.That(transport.Attempts, Is.EqualTo(1), "the payment may have been booked: its adapter looks before writing again");
        Assert.That(TransientCause.Of(failure), Is.EqualTo(TransientCause.Timeout), "a timeout is still waited for as a timeout");
    }

    [TestCase("POST", QuickBooksPayment + "&requestid=abc")]
    [TestCase("GET", ConnectWisePayment)]
    public async Task An_idempotent_request_is_repeated_after_a_timeout(string method, string url)
    {
        var time = new ScriptedTime(_ => true);
        var transport = new Transport((attempt, cancellation) => attempt == 1 ? NoAnswer(cancellation) : Task.FromResult(Answer(HttpStatusCode.OK)));
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = method == "POST" ? new StringContent("{}") : null };

        using var response = await Client(transport, time).SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(transport.Attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task A_read_that_keeps_failing_is_tried_the_set_number_of_times_and_its_last_answer_returned()
    {
        var time = new ScriptedTime(_ => true);
        var transport = new Transport((_, _) => Task.FromResult(Answer(HttpStatusCode.BadGateway)));

        using var response = await Client(transport, time).GetAsync(QuickBooksPayment);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(transport.Attempts, Is.EqualTo(new IntegrationHttpOptions().MaxAttempts));
        Assert.That(Waits(time).Count(), Is.EqualTo(transport.Attempts - 1), "each repeat waits its back-off first");
    }

    [Test]
    public void A_refusal_is_never_repeated()
    {
        var time = new ScriptedTime(_ => true);
        var transport = new Transport((_, _) => Task.FromException<HttpResponseMessage>(new IntegrationRefusedException("a private address")));

        Assert.ThrowsAsync<IntegrationRefusedException>(() => Client(transport, time).GetAsync(QuickBooksPayment));
        Assert.That(transport.Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task A_connection_whose_calls_keep_failing_is_left_alone_and_its_calls_wait_as_for_an_unavailable_integration()
    {
        var time = new ScriptedTime(_ => false);
        var transport = new Transport((_, _) => Task.FromResult(Answer(HttpStatusCode.ServiceUnavailable)));
        var options = new IntegrationHttpOptions { AttemptTimeout = AttemptTimeout, CircuitBreakerMinimumThroughput = 2 };
        using var client = Client(transport, time, options: options);
        for (var i = 0; i < 2; i++)
        {
            using var failed = await client.PostAsync(ConnectWisePayment, new StringContent("{}"));
            Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        var open = Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(ConnectWisePayment, new StringContent("{}")));

        Assert.That(transport.Attempts, Is.EqualTo(2), "an open circuit sends nothing");
        Assert.That(open!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(TransientCause.Of(open), Is.EqualTo(TransientCause.Unavailable));
    }
}
