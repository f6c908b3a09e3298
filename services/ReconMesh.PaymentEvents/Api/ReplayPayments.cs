using System.Globalization;
using Marten;
using Microsoft.Extensions.Options;
using ReconMesh.EventSourcing.Relay;
using Contract = ReconMesh.Contracts.Payments;
using ReconMesh.PaymentEvents.Payments;

namespace ReconMesh.PaymentEvents.Api;

/// <summary>
/// <c>POST /tenants/{tenantId}/payments/replay[?from=...&amp;to=...]</c>: anti-entropy for a consumer that missed what the
/// relay published of a tenant's payments (a purged or deleted queue, a restored database, a new service). Announces again,
/// from PaymentEvents' own streams, each payment (<c>PaymentAccepted</c>) and its failure, refund or chargeback if it had
/// one (<c>PaymentFailureAccepted</c>): exactly as the relay published them, message id included (<see cref="EventReplay"/>).
/// A consumer that already had them sees a repeat and changes nothing (WritebackService's reconciliation ignores a payment
/// it is past); one that missed them catches up. Read and published a page of payments at a time
/// (<see cref="ReplayOptions.PageSize"/>). Repeating the request is harmless.
/// <para>
/// <c>from</c> and <c>to</c> (ISO 8601, with an offset) bound the replay to payments accepted, or failed, refunded or charged
/// back, at or after <c>from</c> and before <c>to</c>: when PaymentEvents recorded the platform's report (the event's
/// timestamp in its store). A payment chosen for its reversal is replayed whole, its acceptance first.
/// </para>
/// <list type="bullet">
/// <item>202: every message was published (confirmed by the broker); the body counts them. Consumers handle them in their own time.</item>
/// <item>400: a bound that is not a time, or <c>from</c> not before <c>to</c> (problem details).</item>
/// </list>
/// </summary>
public static class ReplayPayments
{
    /// <summary>The longest <c>from</c> or <c>to</c> read (an ISO 8601 time with fractions and offset is 33 characters).</summary>
    public const int MaxBoundLength = 40;

    /// <summary>
    /// What was announced again: how many payments (one <c>PaymentAccepted</c> each), how many of their failures, refunds or
    /// chargebacks (<c>PaymentFailureAccepted</c>), and how many messages that took in all.
    /// </summary>
    public sealed record ReplayView(string TenantId, DateTimeOffset? From, DateTimeOffset? To, int Payments, int Reversals, int Messages);

    public static IEndpointRouteBuilder MapPaymentReplay(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/tenants/{tenantId}/payments/replay", HandleAsync).WithTags("Payments");
        return endpoints;
    }

    public static async Task<IResult> HandleAsync(string tenantId, string? from, string? to, IQuerySession session, EventReplay replay,
        IOptions<ReplayOptions> options, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        var (since, sinceError) = Bound(nameof(from), from);
        var (until, untilError) = Bound(nameof(to), to);
        if ((sinceError ?? untilError) is { } error)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed time range", detail: error);
        }

        if (since >= until)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed time range",
                detail: $"from ({since:O}) must be before to ({until:O}).");
        }

        var size = options.Value.PageSize;
        var (_, messages) = await replay.RepublishPagesAsync(
            (after, token) => PaymentStore.PaymentStreamsAsync(session, tenantId, after, since, until, size, token), cancellationToken);

        var view = new ReplayView(tenantId, since, until, messages.GetValueOrDefault(typeof(Contract.PaymentAccepted)),
            messages.GetValueOrDefault(typeof(Contract.PaymentFailureAccepted)),
            messages.Values.Sum());
        var logger = logging.CreateLogger(typeof(ReplayPayments));
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Replayed {Payments} payments of tenant {TenantId} ({From}..{To}): {Reversals} reversals, {Messages} messages",
                view.Payments, tenantId, since, until, view.Reversals, view.Messages);
        }

        return Results.Accepted(value: view);
    }

    /// <summary>A bound of the range: absent, a time, or why it is not one (without repeating what was sent).</summary>
    private static (DateTimeOffset? At, string? Error) Bound(string name, string? value) =>
        string.IsNullOrEmpty(value) ? (null, null)
        : value.Length <= MaxBoundLength && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (at, null)
            : (null, $"{name} is a time in ISO 8601 with an offset (e.g. 2026-12-05T18:00:00Z), at most {MaxBoundLength} characters.");
}
