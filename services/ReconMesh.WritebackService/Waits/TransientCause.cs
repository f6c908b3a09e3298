using System.Net;
using System.Net.Sockets;
using FluentValidation;
using Npgsql;
using ReconMesh.Integrations.Autotask;
using ReconMesh.Integrations.ConnectWise;
using ReconMesh.Integrations.Http;
using ReconMesh.Integrations.QuickBooks;
using ReconMesh.Integrations.Xero;
using Refit;

namespace ReconMesh.WritebackService.Waits;

/// <summary>
/// The one place that says whether a failed write or reversal failed for a cause that passes by itself, and which:
/// the integration throttling (429) or unavailable (5xx), no answer in time, a lost connection, the database or the
/// broker unreachable. Everything else (an invalid request, credentials refused with 401/403, a rule broken, a refused
/// address, an untrusted message) is not transient and keeps the way it had: retried in the slot, then an exception.
/// </summary>
public static class TransientCause
{
    public const string Throttled = "throttled";
    public const string Unavailable = "integration-unavailable";
    public const string Timeout = "timeout";
    public const string ConnectionLost = "connection-lost";
    public const string DatabaseUnavailable = "database-unavailable";
    public const string BrokerUnavailable = "broker-unavailable";

    /// <summary>A payout names payments that are still on their way into the books (written back, or reversed).</summary>
    public const string PaymentsOnTheirWay = ReconMesh.Domain.Writeback.WritebackDecider.PaymentsOnTheirWayCause;

    /// <summary>
    /// The cause, or null when <paramref name="failure"/> is not transient. The outermost exception that says anything
    /// decides (an integration's fault before the HTTP error it wraps); <paramref name="stopping"/> cancelled means the
    /// service is stopping, which is not the integration's doing.
    /// </summary>
    public static string? Of(Exception? failure, CancellationToken stopping = default)
    {
        if (stopping.IsCancellationRequested)
        {
            return null;
        }

        for (var e = failure; e is not null; e = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e.InnerException)
        {
            switch (e)
            {
                case ValidationException or IntegrationRefusedException:
                    return null;
                case Payouts.PayoutPaymentsNotWrittenYetException:
                    return PaymentsOnTheirWay;
                case QuickBooksException q:
                    return OfStatus(q.Status);
                case ConnectWiseException c:
                    return OfStatus(c.Status);
                case XeroException x:
                    return OfStatus(x.Status);
                case AutotaskException a:
                    // Autotask refuses with the 500 it also fails with: a refusal is a person's work at once, not a wait.
                    return a.IsServerRefusal ? null : OfStatus(a.Status);
                case ApiException api:
                    return OfStatus(api.StatusCode);
                case HttpRequestException { StatusCode: { } status }:
                    return OfStatus(status);
                case NpgsqlException { IsTransient: true }:
                    return DatabaseUnavailable;
                case NpgsqlException:
                    return null;
                case TimeoutException or OperationCanceledException:
                    return Timeout;
                case HttpRequestException or ApiRequestException { InnerException: null } or SocketException or IOException:
                    return ConnectionLost;
                case MassTransit.ConnectionException or RabbitMQ.Client.Exceptions.BrokerUnreachableException
                    or RabbitMQ.Client.Exceptions.AlreadyClosedException:
                    return BrokerUnavailable;
            }
        }

        return null;
    }

    private static string? OfStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => Throttled,
        HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => Timeout,
        >= HttpStatusCode.InternalServerError and <= (HttpStatusCode)599 when status != HttpStatusCode.NotImplemented => Unavailable,
        _ => null,
    };
}
