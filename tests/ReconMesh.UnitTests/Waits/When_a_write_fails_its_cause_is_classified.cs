using System.Net;
using System.Net.Sockets;
using FluentValidation;
using Marten.Exceptions;
using Npgsql;
using ReconMesh.Integrations.Autotask;
using ReconMesh.Integrations.ConnectWise;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.QuickBooks;
using ReconMesh.Integrations.Xero;
using ReconMesh.WritebackService.Waits;

namespace ReconMesh.UnitTests.Waits;

/// <summary>
/// What waits aside and what goes to a person: only causes that pass by themselves wait; a refusal, revoked
/// credentials or a rule broken keep their way to the exceptions queue.
/// </summary>
public class When_a_write_fails_its_cause_is_classified
{
    private static IEnumerable<TestCaseData> Transient()
    {
        yield return new TestCaseData(new QuickBooksException(HttpStatusCode.TooManyRequests, "3001", "QuickBooks fault 3001: ThrottleExceeded"), TransientCause.Throttled);
        yield return new TestCaseData(new QuickBooksException(HttpStatusCode.ServiceUnavailable, null, "down"), TransientCause.Unavailable);
        yield return new TestCaseData(new ConnectWiseException(HttpStatusCode.BadGateway, null, "gateway", []), TransientCause.Unavailable);
        yield return new TestCaseData(new ConnectWiseException(HttpStatusCode.GatewayTimeout, null, "gateway timeout", []), TransientCause.Timeout);
        yield return new TestCaseData(new XeroException(HttpStatusCode.TooManyRequests, null, "Xero throttled the call (limit: minute)", rateLimitProblem: "minute"),
            TransientCause.Throttled);
        yield return new TestCaseData(new XeroException(HttpStatusCode.ServiceUnavailable, null, "Xero answered HTTP 503"), TransientCause.Unavailable);
        yield return new TestCaseData(new HttpRequestException("reset", new SocketException()), TransientCause.ConnectionLost);
        yield return new TestCaseData(new HttpRequestException("busy", null, HttpStatusCode.TooManyRequests), TransientCause.Throttled);
        yield return new TestCaseData(new TaskCanceledException("no answer in 30 s"), TransientCause.Timeout);
        yield return new TestCaseData(new TimeoutException(), TransientCause.Timeout);
        yield return new TestCaseData(new NpgsqlException("the database went away", new SocketException()), TransientCause.DatabaseUnavailable);
        yield return new TestCaseData(new MartenCommandException(null!, new NpgsqlException("failover", new SocketException())), TransientCause.DatabaseUnavailable);
        yield return new TestCaseData(new MassTransit.ConnectionException("broker down"), TransientCause.BrokerUnavailable);
        yield return new TestCaseData(new AutotaskException(HttpStatusCode.TooManyRequests, "thread limit", ["Thread threshold exceeded"]), TransientCause.Throttled);
        yield return new TestCaseData(new AutotaskException(HttpStatusCode.InternalServerError, "Autotask failed", ["An unexpected error has occurred."],
            new HttpRequestException("the body", null, HttpStatusCode.InternalServerError)), TransientCause.Unavailable);
        yield return new TestCaseData(new AutotaskException(HttpStatusCode.ServiceUnavailable, "zone down", ["Service unavailable"]), TransientCause.Unavailable);
    }

    private static IEnumerable<TestCaseData> NotTransient()
    {
        yield return new TestCaseData(new QuickBooksException(HttpStatusCode.BadRequest, "2500", "QuickBooks fault 2500: Invalid Reference Id"));
        yield return new TestCaseData(new QuickBooksException(HttpStatusCode.Unauthorized, "3200", "AuthenticationFailed"));
        yield return new TestCaseData(new ConnectWiseException(HttpStatusCode.Forbidden, "Forbidden", "no access", []));
        yield return new TestCaseData(new ConnectWiseException(HttpStatusCode.NotImplemented, null, "not there", []));
        yield return new TestCaseData(new XeroException(HttpStatusCode.BadRequest, "ValidationException", "Xero refused the request (ValidationException): …"));
        yield return new TestCaseData(new XeroException(HttpStatusCode.Unauthorized, null, "Xero answered HTTP 401 (Unauthorized: TokenExpired)"));
        yield return new TestCaseData(new IntegrationRefusedException("a private address", new HttpRequestException("refused")));
        yield return new TestCaseData(new ValidationException("invalid message"));
        yield return new TestCaseData(new InvalidOperationException("a rule broken"));
        yield return new TestCaseData(new NpgsqlException("syntax error"));
        // Autotask refuses with HTTP 500 naming what it refused: the status it shares with its own failures must not make it wait.
        yield return new TestCaseData(new AutotaskException(HttpStatusCode.InternalServerError, "refused",
            ["Value of field paidDate is not valid for an invoice that is not paid."], new HttpRequestException("the body", null, HttpStatusCode.InternalServerError)));
        yield return new TestCaseData(new AutotaskException(HttpStatusCode.BadRequest, "bad request", ["The request is invalid."]));
    }

    [TestCaseSource(nameof(Transient))]
    public void Should_wait_for_a_cause_that_passes_by_itself(Exception failure, string cause) =>
        Assert.That(TransientCause.Of(failure), Is.EqualTo(cause));

    [TestCaseSource(nameof(NotTransient))]
    public void Should_leave_the_rest_to_the_exceptions_queue(Exception failure) =>
        Assert.That(TransientCause.Of(failure), Is.Null);

    [Test]
    public void Should_not_wait_when_the_service_is_stopping()
    {
        using var stopping = new CancellationTokenSource();
        stopping.Cancel();

        Assert.That(TransientCause.Of(new TaskCanceledException(), stopping.Token), Is.Null);
    }

    [Test]
    public void Should_let_the_integrations_fault_decide_before_the_error_it_wraps()
    {
        var refused = new QuickBooksException(HttpStatusCode.BadRequest, "2500", "invalid", new HttpRequestException("the body"));

        Assert.That(TransientCause.Of(refused), Is.Null);
    }
}
